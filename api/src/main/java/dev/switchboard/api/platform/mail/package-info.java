/** Outgoing e-mail: SMTP through Jakarta Mail, or the console when no SMTP server is configured. */
package dev.switchboard.api.platform.mail;
