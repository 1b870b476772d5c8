/**
 * Organizations and their workspaces. Every tenant-owned row carries its organization's id, and
 * every query that reads one is scoped by it: a foreign id is simply not found.
 */
package dev.switchboard.domain.tenancy;
