package dev.switchboard.api.provider;

/**
 * One server-sent event as received: its {@code event:} name (null when absent) and its data lines.
 */
public record SseEvent(String event, String data) {}
