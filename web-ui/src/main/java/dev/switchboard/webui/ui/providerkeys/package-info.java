/**
 * The Provider keys page of the selected organization (owners and admins): its own API keys for the
 * catalog's providers (bring your own key), added, rotated and deleted; a secret is never shown
 * again once saved, only its last four characters.
 */
package dev.switchboard.webui.ui.providerkeys;
