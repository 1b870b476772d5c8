/**
 * The Keys page of the selected organization: create a key (shown once, with ready-to-paste
 * snippets), see each key's usage, change its limit, disable or delete it.
 */
package dev.switchboard.webui.ui.keys;
