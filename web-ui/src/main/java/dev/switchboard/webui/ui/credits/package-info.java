/**
 * The Credits page of the selected organization: its balance, how credits arrive, and its purchases
 * with their invoice PDFs.
 */
package dev.switchboard.webui.ui.credits;
