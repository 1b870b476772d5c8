package dev.switchboard.webui.ui.keys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;

/** Shows a new key's plaintext once, with a copy button and snippets that use it. */
class NewKeyDialog extends Dialog {

  NewKeyDialog(String plaintext, String apiBaseUrl) {
    setHeaderTitle("Your new key");
    setId("new-key-dialog");
    setMaxWidth("48em");
    TextField key = new TextField();
    key.setId("new-key-value");
    key.setValue(plaintext);
    key.setReadOnly(true);
    key.setWidthFull();
    key.setAriaLabel("API key");
    Button copy = new Button("Copy", VaadinIcon.COPY.create());
    copy.setId("new-key-copy");
    copy.addClickListener(
        click -> copy.getElement().executeJs("navigator.clipboard.writeText($0)", key.getValue()));
    HorizontalLayout keyRow = new HorizontalLayout(key, copy);
    keyRow.setWidthFull();
    keyRow.setFlexGrow(1, key);
    add(
        new Paragraph(
            "Copy it now: Switchboard keeps only its fingerprint and cannot show it again."),
        keyRow,
        new H4("curl"),
        snippet(
            "curl "
                + apiBaseUrl
                + "/chat/completions \\\n  -H \"Authorization: Bearer "
                + plaintext
                + "\" \\\n  -H 'Content-Type: application/json' \\\n"
                + "  -d '{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hello\"}]}'"),
        new H4("OpenAI SDK (Python)"),
        snippet(
            "from openai import OpenAI\n\nclient = OpenAI(base_url=\""
                + apiBaseUrl
                + "\", api_key=\""
                + plaintext
                + "\")\nanswer = client.chat.completions.create(\n"
                + "    model=\"openai/gpt-4o-mini\",\n"
                + "    messages=[{\"role\": \"user\", \"content\": \"Hello\"}],\n)\n"
                + "print(answer.choices[0].message.content)"));
    Button done = new Button("I have copied it", click -> close());
    done.setId("new-key-done");
    done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    getFooter().add(done);
  }

  private static Pre snippet(String text) {
    Pre pre = new Pre(text);
    pre.getStyle().set("white-space", "pre-wrap").set("word-break", "break-all");
    return pre;
  }
}
