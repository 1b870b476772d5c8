/**
 * The Members page of the selected organization (members, roles, invitations, leaving), creating a
 * team organization, and the page an invitation link opens.
 */
package dev.switchboard.webui.ui.members;
