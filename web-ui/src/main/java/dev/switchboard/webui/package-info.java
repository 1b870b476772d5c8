/**
 * The assembled application: the datasource, the built-in demo catalog backed by the provider
 * simulator, and (later) the Vaadin dashboard.
 */
package dev.switchboard.webui;
