/**
 * Switchboard's HTTP surface: the OpenAI-compatible inference ingress, provider adapters, the
 * catalog, keys, account and operator REST resources. Resources stay thin: parse, authorize, call
 * the domain, map to a record.
 */
package dev.switchboard.api;
