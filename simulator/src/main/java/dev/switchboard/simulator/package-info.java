/**
 * Switchboard's provider simulator: an in-process or standalone fake LLM provider that speaks the
 * OpenAI chat completions, Anthropic Messages and Google Gemini generateContent wire formats, with
 * deterministic output, exact token accounting, request recording and fault injection.
 *
 * <p>The public surface is {@link dev.switchboard.simulator.ProviderSimulator}, {@link
 * dev.switchboard.simulator.FaultSpec}, {@link dev.switchboard.simulator.RecordedRequest} and
 * {@link dev.switchboard.simulator.SimulatorMain}; everything else is package-private so it can
 * change freely.
 */
package dev.switchboard.simulator;
