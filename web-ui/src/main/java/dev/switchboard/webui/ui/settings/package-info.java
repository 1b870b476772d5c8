/**
 * The organization's Settings page: its name, whether its members must use single sign-on, and the
 * billing details its invoices are addressed to.
 */
package dev.switchboard.webui.ui.settings;
