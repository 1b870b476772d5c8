package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The tool the simulator decided to call, with its JSON-schema parameters (may be a missing/null
 * node).
 */
record ToolDefinition(String name, JsonNode parameters) {}
