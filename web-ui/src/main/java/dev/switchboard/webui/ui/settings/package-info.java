/** The organization's Settings page: its name, and whether its members must use single sign-on. */
package dev.switchboard.webui.ui.settings;
