/**
 * Accounts in the browser: sign up, verify the address, sign in and out, reset a password, and the
 * signed-in member of a browser session with the organization they selected.
 */
package dev.switchboard.webui.ui.account;
