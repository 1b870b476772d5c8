/**
 * Wiring of the domain into the container: configuration, the datasource, start-up and shutdown.
 */
package dev.switchboard.api.platform;
