package dev.switchboard.webui.ui.members;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.switchboard.api.http.KeyAuthenticator;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Invitation;
import dev.switchboard.domain.accounts.Member;
import dev.switchboard.domain.accounts.Membership;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.UserRepository;
import dev.switchboard.webui.ui.FormRow;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.Notice;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.account.SignedInOnly;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * Who belongs to the selected organization and with which role; those who may manage members
 * invite, change roles and remove here. Anyone may create a team organization or leave one.
 */
@Route(value = "members", layout = MainLayout.class)
@PageTitle("Members · Switchboard")
@SignedInOnly
public class MembersView extends VerticalLayout {

  private static final DateTimeFormatter EXPIRY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final MembershipService memberships;
  private final UserRepository users;
  private final KeyAuthenticator authenticator;
  private final SignedInMember member = SignedInMember.current().orElseThrow();
  private final Grid<Member> grid = new Grid<>();
  private final Grid<Invitation> invitations = new Grid<>();
  private final Notice message = new Notice("members-message");

  @Inject
  public MembersView(
      MembershipService memberships, UserRepository users, KeyAuthenticator authenticator) {
    this.memberships = memberships;
    this.users = users;
    this.authenticator = authenticator;
    Membership org = member.organization();
    add(new H2("Members of " + org.orgName()), message);
    if (org.personal()) {
      add(
          new Paragraph(
              "This is your personal organization: only you belong to it. To work with others,"
                  + " create a team organization and invite them."));
    } else {
      grid.setId("members-grid");
      grid.addColumn(Member::displayName).setHeader("Name").setAutoWidth(true);
      grid.addColumn(Member::email).setHeader("E-mail").setAutoWidth(true).setFlexGrow(1);
      grid.addComponentColumn(this::roleCell).setHeader("Role").setAutoWidth(true);
      grid.addComponentColumn(this::removeCell).setHeader("").setAutoWidth(true);
      grid.setAllRowsVisible(true);
      add(grid);
      if (org.role().can(Permission.MANAGE_MEMBERS)) {
        add(new H3("Invite someone"), inviteForm());
        invitations.setId("invitations-grid");
        invitations.addColumn(Invitation::email).setHeader("Invited").setAutoWidth(true);
        invitations.addColumn(i -> i.role().wireName()).setHeader("Role").setAutoWidth(true);
        invitations
            .addColumn(i -> EXPIRY.format(i.expiresAt()))
            .setHeader("Expires")
            .setAutoWidth(true);
        invitations.setAllRowsVisible(true);
        add(invitations);
      }
      Button leave = new Button("Leave " + org.orgName(), click -> leave());
      leave.setId("leave-organization");
      leave.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
      add(leave);
    }
    add(new H3("Create a team organization"), createTeamForm());
    refresh();
  }

  private FlexLayout inviteForm() {
    EmailField email = new EmailField("E-mail");
    email.setId("invite-email");
    Select<Role> role = roleSelect();
    role.setId("invite-role");
    role.setValue(Role.MEMBER);
    Button invite = new Button("Send invitation");
    invite.setId("invite-submit");
    invite.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    invite.addClickListener(
        click ->
            act(
                () -> {
                  Invitation sent =
                      memberships.invite(
                          member.actor(),
                          member.organization().orgId(),
                          email.getValue(),
                          role.getValue());
                  email.clear();
                  return "Invitation sent to " + sent.email() + ".";
                }));
    return FormRow.of(email, role, invite);
  }

  private FlexLayout createTeamForm() {
    TextField name = new TextField("Name");
    name.setId("team-name");
    name.setMaxLength(100);
    Button create = new Button("Create organization");
    create.setId("team-create");
    create.addClickListener(
        click ->
            act(
                () -> {
                  Membership team = memberships.createTeam(member.user().id(), name.getValue());
                  member.refresh(users.memberships(member.user().id()));
                  member.select(team);
                  getUI().ifPresent(ui -> ui.getPage().reload());
                  return team.orgName() + " is created; you are its owner.";
                }));
    return FormRow.of(name, create);
  }

  private Select<Role> roleSelect() {
    Select<Role> role = new Select<>();
    role.setLabel("Role");
    role.setItems(Arrays.asList(Role.values()));
    role.setItemLabelGenerator(Role::wireName);
    return role;
  }

  private Select<Role> roleCell(Member row) {
    Select<Role> role = roleSelect();
    role.setLabel(null);
    role.setAriaLabel("Role of " + row.email());
    role.setValue(row.role());
    role.setReadOnly(!member.organization().role().can(Permission.MANAGE_MEMBERS));
    role.addValueChangeListener(
        change -> {
          if (change.isFromClient()) {
            act(
                () -> {
                  memberships.changeRole(
                      member.actor(),
                      member.organization().orgId(),
                      row.userId(),
                      change.getValue());
                  return row.email() + " is now " + change.getValue().wireName() + ".";
                });
          }
        });
    return role;
  }

  private Button removeCell(Member row) {
    Button remove =
        new Button(
            "Remove",
            click ->
                new RemoveMemberDialog(
                        row,
                        currentMembers().stream()
                            .filter(m -> !m.userId().equals(row.userId()))
                            .toList(),
                        heir -> remove(row, heir))
                    .open());
    remove.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
    remove.setAriaLabel("Remove " + row.email());
    remove.setVisible(
        member.organization().role().can(Permission.MANAGE_MEMBERS)
            && !row.userId().equals(member.user().id()));
    return remove;
  }

  private void remove(Member row, Member heir) {
    act(
        () -> {
          MembershipService.Removal removal =
              memberships.remove(
                  member.actor(),
                  member.organization().orgId(),
                  row.userId(),
                  heir == null ? null : heir.userId());
          removal.disabledKeyHashes().forEach(authenticator::invalidate);
          return heir == null
              ? row.email()
                  + " is removed; "
                  + removal.disabledKeyHashes().size()
                  + " of their keys disabled."
              : row.email()
                  + " is removed; "
                  + removal.reassignedKeyHashes().size()
                  + " of their keys now belong to "
                  + heir.email()
                  + ".";
        });
  }

  private List<Member> currentMembers() {
    try {
      return memberships.members(member.actor(), member.organization().orgId());
    } catch (AccountRefusedException e) {
      return List.of();
    }
  }

  private void leave() {
    act(
        () -> {
          memberships.remove(member.actor(), member.organization().orgId(), member.user().id());
          member.refresh(users.memberships(member.user().id()));
          getUI().ifPresent(ui -> ui.getPage().reload());
          return "You left the organization.";
        });
  }

  /** Runs a change and says what happened, or why it was refused; then shows the new state. */
  private void act(java.util.function.Supplier<String> change) {
    try {
      message.success(change.get());
    } catch (AccountRefusedException e) {
      message.error(e.getMessage());
    }
    refresh();
  }

  private void refresh() {
    Membership org = member.organization();
    if (org.personal()) {
      return;
    }
    try {
      grid.setItems(memberships.members(member.actor(), org.orgId()));
      if (org.role().can(Permission.MANAGE_MEMBERS)) {
        invitations.setItems(memberships.pendingInvitations(member.actor(), org.orgId()));
      }
    } catch (AccountRefusedException e) {
      message.error(e.getMessage()); // removed meanwhile
    }
  }
}
