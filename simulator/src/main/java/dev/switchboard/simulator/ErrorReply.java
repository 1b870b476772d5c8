package dev.switchboard.simulator;

/** An error response to render in a provider's native shape. */
record ErrorReply(int status, String message) {}
