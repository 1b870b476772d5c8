package dev.switchboard.webui.ui;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Meta;
import com.vaadin.flow.server.AppShellSettings;

/** Settings of the host page every view is rendered into. */
@Meta(
    name = "description",
    content = "Switchboard: one OpenAI-compatible API in front of many models")
public class SwitchboardAppShell implements AppShellConfigurator {

  @Override
  public void configurePage(AppShellSettings settings) {
    settings.setPageTitle(MainLayout.APP_NAME);
  }
}
