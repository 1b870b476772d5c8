/**
 * HTTP plumbing shared by every endpoint: the one JSON mapper (with hostile-input limits), the one
 * error shape {@code {"error":{"code","message","metadata"}}}, and bearer-key authentication.
 */
package dev.switchboard.api.http;
