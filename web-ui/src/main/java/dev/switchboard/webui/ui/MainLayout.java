package dev.switchboard.webui.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import dev.switchboard.webui.ui.models.ModelsView;

/**
 * The dashboard's frame: the app name in the navigation bar and the side navigation in the drawer.
 */
public class MainLayout extends AppLayout {

  public static final String APP_NAME = "Switchboard";

  public MainLayout() {
    H1 title = new H1(APP_NAME);
    title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("margin", "0");
    HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), title);
    header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    header.getStyle().set("padding", "0 var(--lumo-space-m) 0 0");
    addToNavbar(header);

    SideNav nav = new SideNav();
    nav.setId("main-nav");
    SideNavItem models = new SideNavItem("Models", ModelsView.class, VaadinIcon.LIST.create());
    models.setMatchNested(true); // a model's page is part of Models
    nav.addItem(models);
    addToDrawer(nav);
    setPrimarySection(Section.DRAWER);
  }
}
