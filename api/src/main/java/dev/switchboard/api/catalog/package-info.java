/**
 * The catalog as the API serves it: the loaded snapshot, provider availability and the public
 * endpoints.
 */
package dev.switchboard.api.catalog;
