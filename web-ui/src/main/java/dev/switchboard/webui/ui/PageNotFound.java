package dev.switchboard.webui.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.ParentLayout;
import com.vaadin.flow.router.RouterLink;
import dev.switchboard.webui.ui.models.ModelsView;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The page for an address that names nothing, or nothing the visitor may see (another
 * organization's, the operator's page): answered 404 inside the usual layout, with a way back.
 */
@ParentLayout(MainLayout.class)
public class PageNotFound extends VerticalLayout implements HasErrorParameter<NotFoundException> {

  @Override
  public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> error) {
    removeAll();
    H2 title = new H2("Page not found");
    title.setId("not-found");
    add(
        title,
        new Paragraph("There is nothing at this address, or nothing you may see."),
        new RouterLink("Back to the models", ModelsView.class));
    return HttpServletResponse.SC_NOT_FOUND;
  }
}
