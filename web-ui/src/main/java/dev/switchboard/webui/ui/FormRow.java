package dev.switchboard.webui.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;

<<<<<<< HEAD
/** Fields and their button on one line that wraps on a narrow screen, aligned on their text. */
=======
/** Fields and their button on one line that wraps on a narrow screen. */
>>>>>>> main
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
