package dev.switchboard.webui.e2e;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives end-to-end tests the shared instances of this test run, each started on first use and
 * stopped (JUnit closes stored {@link AutoCloseable}s) when the run ends: the demo {@link
 * RunningSwitchboard}, and the {@link ControlledSwitchboard} whose providers the test controls.
 * Booting the jar takes seconds, so tests share it and isolate their data by creating their own
 * organizations.
 */
public final class SwitchboardExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == RunningSwitchboard.class || type == ControlledSwitchboard.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
    if (parameter.getParameter().getType() == ControlledSwitchboard.class) {
      ControlledSwitchboard controlled =
          store.getOrComputeIfAbsent(
              "controlled", key -> ControlledSwitchboard.start(), ControlledSwitchboard.class);
      controlled.reset();
      return controlled;
    }
    return store.getOrComputeIfAbsent(
        "demo", key -> RunningSwitchboard.start(Map.of()), RunningSwitchboard.class);
  }
}
