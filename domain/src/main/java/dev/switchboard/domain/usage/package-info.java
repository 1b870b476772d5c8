/**
 * Generations: one record per served request, with what it consumed, what it cost and how it went.
 */
package dev.switchboard.domain.usage;
