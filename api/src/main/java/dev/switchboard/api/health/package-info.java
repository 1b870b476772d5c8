/**
 * MicroProfile Health checks, served by the runtime at {@code /health/live} and {@code
 * /health/ready}.
 */
package dev.switchboard.api.health;
