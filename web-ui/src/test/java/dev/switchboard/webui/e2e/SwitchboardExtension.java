package dev.switchboard.webui.e2e;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives end-to-end tests the one {@link RunningSwitchboard} of this test run: started on first use, stopped
 * when the run ends. Booting the jar takes seconds, so tests share it and isolate their data by creating
 * their own organizations.
 */
public final class SwitchboardExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RunningSwitchboard.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            "switchboard", key -> new Shared(RunningSwitchboard.start(Map.of())), Shared.class)
        .running();
  }

  /** Closed by JUnit when the root context closes, at the end of the run. */
  private record Shared(RunningSwitchboard running) implements AutoCloseable {
    @Override
    public void close() {
      running.close();
    }
  }
}
