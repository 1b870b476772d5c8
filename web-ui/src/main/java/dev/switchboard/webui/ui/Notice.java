package dev.switchboard.webui.ui;

import com.vaadin.flow.component.html.Paragraph;

/** A line on a page that says what a change did, or why it was refused; hidden until then. */
public class Notice extends Paragraph {

  public Notice(String id) {
    setId(id);
    setVisible(false);
  }

  public void success(String text) {
    show(text, "var(--lumo-success-text-color)");
  }

  public void error(String text) {
    show(text, "var(--lumo-error-text-color)");
  }

  private void show(String text, String color) {
    setText(text);
    getStyle().set("color", color);
    setVisible(true);
  }
}
