package dev.switchboard.webui.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;

/** Fields and their button on one line that wraps on a narrow screen. */
public final class FormRow {

  private FormRow() {}

  public static FlexLayout of(Component... components) {
    FlexLayout row = new FlexLayout(components);
    row.setFlexWrap(FlexLayout.FlexWrap.WRAP);
    row.setAlignItems(FlexComponent.Alignment.BASELINE);
    row.getStyle().set("gap", "var(--lumo-space-m)");
    return row;
  }
}
