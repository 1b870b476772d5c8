/**
 * Gateway metrics, exported in Prometheus format by the runtime's MicroProfile Metrics at {@code
 * /metrics}.
 */
package dev.switchboard.api.metrics;
