package dev.switchboard.webui.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.RouterLink;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.accounts.AccountService;
import dev.switchboard.domain.accounts.Membership;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.UserRepository;
import dev.switchboard.webui.ui.account.SignInView;
import dev.switchboard.webui.ui.account.SignUpView;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.account.SignedInOnly;
import dev.switchboard.webui.ui.credits.CreditsView;
import dev.switchboard.webui.ui.keys.KeysView;
import dev.switchboard.webui.ui.keys.WorkspacesView;
import dev.switchboard.webui.ui.members.MembersView;
import dev.switchboard.webui.ui.models.ModelsView;
import dev.switchboard.webui.ui.operator.OperatorView;
import dev.switchboard.webui.ui.providerkeys.ProviderKeysView;
import dev.switchboard.webui.ui.settings.SettingsView;
import jakarta.enterprise.inject.spi.CDI;
import java.util.Arrays;
import java.util.Optional;

/**
 * The dashboard's frame: the app name, the signed-in member's organization switcher and sign-out in
 * the navigation bar, and the side navigation in the drawer. Views marked {@link SignedInOnly} are
 * only entered with a live session; anyone else is sent to the sign-in page.
 */
public class MainLayout extends AppLayout implements BeforeEnterObserver {

  public static final String APP_NAME = "Switchboard";

  private final HorizontalLayout account = new HorizontalLayout();
  private final SideNav nav = new SideNav();

  public MainLayout() {
    H1 title = new H1(APP_NAME);
    title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("margin", "0");
    account.setId("account-area");
    account.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    account.getStyle().set("margin-left", "auto").set("flex-wrap", "wrap");
    HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), title, account);
    header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    header.setWidthFull();
    header.getStyle().set("padding", "0 var(--lumo-space-m) 0 0");
    addToNavbar(header);
    nav.setId("main-nav");
    addToDrawer(nav);
    setPrimarySection(Section.DRAWER);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    Optional<SignedInMember> member = SignedInMember.current();
    if (member.isPresent() && !stillSignedIn(member.get())) {
      SignedInMember.end();
      member = Optional.empty();
    }
    SignedInOnly guard = event.getNavigationTarget().getAnnotation(SignedInOnly.class);
    if (guard != null) {
      if (member.isEmpty()) {
        event.forwardTo(SignInView.class);
      } else if (!allows(member.get(), guard)) {
        event.forwardTo(KeysView.class);
      }
    }
    showNavigation(member);
    showAccount(member);
  }

  /**
   * A session ends on sign-out elsewhere, a password reset or its lifetime; roles and memberships
   * change while it lasts. Both are read again on each navigation.
   */
  private static boolean stillSignedIn(SignedInMember member) {
    if (CDI.current()
        .select(AccountService.class)
        .get()
        .currentUser(member.sessionToken())
        .isEmpty()) {
      return false;
    }
    member.refresh(
        CDI.current().select(UserRepository.class).get().memberships(member.user().id()));
    return true;
  }

  private static boolean allows(SignedInMember member, SignedInOnly guard) {
    Role role = member.organization().role();
    return Arrays.stream(guard.requires()).allMatch(role::can)
        && (guard.requiresAny().length == 0
            || Arrays.stream(guard.requiresAny()).anyMatch(role::can));
  }

  private void showNavigation(Optional<SignedInMember> member) {
    nav.removeAll();
    SideNavItem models = new SideNavItem("Models", ModelsView.class, VaadinIcon.LIST.create());
    models.setMatchNested(true); // a model's page is part of Models
    nav.addItem(models);
    if (member.isPresent()) {
      nav.addItem(new SideNavItem("Keys", KeysView.class, VaadinIcon.KEY.create()));
      nav.addItem(new SideNavItem("Workspaces", WorkspacesView.class, VaadinIcon.FOLDER.create()));
      if (member.get().organization().role().can(Permission.VIEW_CREDITS)) {
        nav.addItem(new SideNavItem("Credits", CreditsView.class, VaadinIcon.WALLET.create()));
      }
      nav.addItem(new SideNavItem("Members", MembersView.class, VaadinIcon.USERS.create()));
      if (member.get().organization().role().can(Permission.MANAGE_PROVIDER_KEYS)) {
        nav.addItem(
            new SideNavItem("Provider keys", ProviderKeysView.class, VaadinIcon.PLUG.create()));
      }
      if (member.get().organization().role().can(Permission.MANAGE_SETTINGS)
          || member.get().organization().role().can(Permission.MANAGE_BILLING_DETAILS)) {
        nav.addItem(new SideNavItem("Settings", SettingsView.class, VaadinIcon.WRENCH.create()));
      }
      if (CDI.current()
          .select(SwitchboardSettings.class)
          .get()
          .isOperator(member.get().user().email(), member.get().user().emailVerified())) {
        nav.addItem(new SideNavItem("Operator", OperatorView.class, VaadinIcon.COG.create()));
      }
    }
  }

  private void showAccount(Optional<SignedInMember> member) {
    account.removeAll();
    if (member.isEmpty()) {
      account.add(new RouterLink("Sign in", SignInView.class));
      RouterLink signUp = new RouterLink("Sign up", SignUpView.class);
      account.add(signUp);
      return;
    }
    SignedInMember signedIn = member.get();
    account.add(organizationSwitcher(signedIn));
    Span who = new Span(signedIn.user().email());
    who.setId("signed-in-as");
    Button signOut = new Button("Sign out", click -> signOut(signedIn));
    signOut.setId("sign-out");
    signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    account.add(who, signOut);
  }

  private static Component organizationSwitcher(SignedInMember member) {
    Select<Membership> organizations = new Select<>();
    organizations.setId("organization-switcher");
    organizations.setWidth("min(16em, 45vw)");
    organizations.setAriaLabel("Organization");
    organizations.setItems(member.memberships());
    organizations.setItemLabelGenerator(
        m ->
            (m.personal() ? m.orgName() + " (personal)" : m.orgName())
                + " · "
                + m.role().wireName());
    organizations.setValue(member.organization());
    organizations.addValueChangeListener(
        change -> {
          if (change.isFromClient() && change.getValue() != null) {
            member.select(change.getValue());
            UI.getCurrent().getPage().reload();
          }
        });
    return organizations;
  }

  private static void signOut(SignedInMember member) {
    CDI.current().select(AccountService.class).get().signOut(member.sessionToken());
    SignedInMember.end();
    UI.getCurrent().getPage().setLocation("/signin");
  }
}
