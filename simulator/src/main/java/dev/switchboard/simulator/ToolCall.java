package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The single tool call the simulator makes.
 *
 * @param argumentFragments the compact arguments JSON cut into streaming fragments that concatenate
 *     back to it
 * @param tokens completion tokens charged: tokens of the name plus tokens of the arguments JSON
 */
record ToolCall(
    String name,
    ObjectNode arguments,
    String argumentsJson,
    List<String> argumentFragments,
    int tokens) {
  ToolCall {
    argumentFragments = List.copyOf(argumentFragments);
  }
}
