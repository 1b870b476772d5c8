/** Outgoing e-mail, as the domain needs it: a port the platform implements (SMTP or console). */
package dev.switchboard.domain.mail;
