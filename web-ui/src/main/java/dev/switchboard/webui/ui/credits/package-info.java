/** The Credits page of the selected organization: its balance, and how credits arrive. */
package dev.switchboard.webui.ui.credits;
