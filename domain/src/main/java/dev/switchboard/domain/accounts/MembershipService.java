package dev.switchboard.domain.accounts;

import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.TenantScope;
import dev.switchboard.domain.UnitOfWork;
import dev.switchboard.domain.keys.KeyChange;
import dev.switchboard.domain.mail.Mailer;
import dev.switchboard.domain.mail.OutgoingMail;
import dev.switchboard.domain.tenancy.Organization;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Team organizations and who belongs to them: create a team, invite by e-mail (a single-use link
 * that expires), accept, change a role, remove a member, leave. Every change is checked against the
 * {@link Actor}'s role ({@link Role#can}) with the organization's memberships locked, so that
 * concurrent changes can never leave an organization without an owner. Someone who is not a member
 * is told the organization does not exist.
 */
public final class MembershipService {

  static final Duration INVITATION_LIFETIME = Duration.ofDays(7);

  /**
   * What a removal did: the hashes of the keys it disabled (for the gateway's key cache), or of
   * those it gave to another member.
   */
  public record Removal(List<String> disabledKeyHashes, List<String> reassignedKeyHashes) {}

  private final EntityTransactions transactions;
  private final OrganizationRepository organizations;
  private final UserRepository users;
  private final Mailer mailer;
  private final Clock clock;
  private final LinkBase links;
  private final MembershipRepository memberships = new JpaMembershipRepository();

  public MembershipService(
      EntityTransactions transactions,
      OrganizationRepository organizations,
      UserRepository users,
      Mailer mailer,
      Clock clock,
      String publicUrl) {
    this.transactions = transactions;
    this.organizations = organizations;
    this.users = users;
    this.mailer = mailer;
    this.clock = clock;
    this.links = new LinkBase(publicUrl);
  }

  /** A new team organization, its creator the owner. */
  public Membership createTeam(UserId creator, String nameText) {
    String name = DisplayNames.check(nameText, "the organization a name");
    return transactions.inTransaction(
        u -> {
          Organization team = organizations.found(u.connection(), name, false);
          users.addMembership(u, team.id(), creator, Role.OWNER, clock.instant());
          return new Membership(team.id(), team.name(), false, Role.OWNER);
        });
  }

  /** The organization's members, for one of them. */
  public List<Member> members(Actor actor, OrganizationId org) {
    return transactions.inTenant(
        org,
        u -> {
          roleOf(memberships, u, org, actor);
          return new ArrayList<>(memberships.lockedMembers(u, org).values());
        });
  }

  /** Invitations not yet accepted, ended or expired, for members who may manage members. */
  public List<Invitation> pendingInvitations(Actor actor, OrganizationId org) {
    Instant now = clock.instant();
    return transactions.inTenant(
        org,
        u -> {
          require(roleOf(memberships, u, org, actor), Permission.MANAGE_MEMBERS);
          List<Invitation> pending = new ArrayList<>();
          for (InvitationEntity invitation : memberships.pendingInvitations(u, org, now)) {
            pending.add(invitation(u, invitation));
          }
          return pending;
        });
  }

  /**
   * Invites an address with a role and e-mails it the link; an earlier pending invitation of that
   * address to the organization ends.
   *
   * @throws AccountRefusedException when the actor may not, the address is malformed or already a
   *     member, or the organization is personal
   */
  public Invitation invite(Actor actor, OrganizationId org, String emailText, Role role) {
    String email = EmailAddress.normalize(emailText);
    Instant now = clock.instant();
    String token = SecretToken.generate();
    Invitation invitation =
        transactions.inTenant(
            org,
            u -> {
              Role actorRole = roleOf(memberships, u, org, actor);
              require(actorRole, Permission.MANAGE_MEMBERS);
              if (role == Role.OWNER) {
                require(actorRole, Permission.MANAGE_OWNERS);
              }
              Map<UserId, Member> members = memberships.lockedMembers(u, org);
              if (isPersonal(u.connection(), org)) {
                throw AccountRefusedException.conflict(
                    "A personal organization has only its owner: create a team organization to"
                        + " invite people");
              }
              if (members.values().stream().anyMatch(m -> m.email().equals(email))) {
                throw AccountRefusedException.conflict(email + " is already a member");
              }
              InvitationEntity stored =
                  new InvitationEntity(SecretToken.hash(token), org, email, role, actor, now);
              memberships.invite(u, stored, now);
              return new Invitation(
                  org,
                  organizations.find(org).orElseThrow().name(),
                  email,
                  role,
                  inviterName(u, actor, members),
                  stored.expiresAt());
            });
    mailer.send(
        new OutgoingMail(
            email,
            invitation.invitedBy() + " invited you to " + invitation.orgName() + " on Switchboard",
            invitation.invitedBy()
                + " invited you to join the organization "
                + invitation.orgName()
                + " on Switchboard as "
                + role.wireName()
                + ".\n\nOpen this link to accept (valid for 7 days, once); you can create an"
                + " account with this address there if you have none:\n"
                + links.withToken("invitation", token)
                + "\n"));
    return invitation;
  }

  /** The pending invitation of a link, to show before accepting it. */
  public Optional<Invitation> findInvitation(String token) {
    Instant now = clock.instant();
    // the token names the organization
    return transactions.acrossTenants(
        u -> {
          Optional<InvitationEntity> pending =
              memberships
                  .invitation(u, SecretToken.hash(token), false)
                  .filter(i -> i.isPending(now));
          return pending.isPresent() ? Optional.of(invitation(u, pending.get())) : Optional.empty();
        });
  }

  /**
   * Accepts an invitation once, for the signed-in user whose verified address it was sent to.
   *
   * @throws AccountRefusedException when the link is not valid (unknown, used, ended or expired),
   *     or it was sent to another address
   */
  public Membership accept(String token, UserId user) {
    Instant now = clock.instant();
    // the token names the organization; the rest acts in it
    return transactions.acrossTenants(
        u -> {
          // locked while it is checked: of two concurrent acceptances, the second finds it ended
          InvitationEntity invitation =
              memberships
                  .invitation(u, SecretToken.hash(token), true)
                  .filter(i -> i.isPending(now))
                  .orElseThrow(
                      () ->
                          new AccountRefusedException(
                              "This invitation is not valid: it was used already, withdrawn or has"
                                  + " expired. Ask for a new one."));
          invitation.accept(user, now);
          OrganizationId org = invitation.org();
          String email = invitation.email();
          Role role = invitation.role();
          TenantScope.enter(u.connection(), org);
          User accepting = users.find(u, user).orElseThrow();
          if (!accepting.email().equals(email) || !accepting.emailVerified()) {
            // throwing rolls the use of the link back: its rightful owner can still accept it
            throw new AccountRefusedException(
                "This invitation was sent to another address: sign in as "
                    + email
                    + " to accept it");
          }
          if (!memberships.lockedMembers(u, org).containsKey(user)) {
            users.addMembership(u, org, user, role, now);
          }
          return new Membership(org, organizations.find(org).orElseThrow().name(), false, role);
        });
  }

  /**
   * Gives a member another role.
   *
   * @throws AccountRefusedException when the actor may not, or it would leave no owner
   */
  public Member changeRole(Actor actor, OrganizationId org, UserId target, Role role) {
    return transactions.inTenant(
        org,
        u -> {
          Role actorRole = roleOf(memberships, u, org, actor);
          Map<UserId, Member> members = memberships.lockedMembers(u, org);
          Member member = members.get(target);
          if (member == null) {
            throw AccountRefusedException.notFound("No such member");
          }
          require(actorRole, Permission.MANAGE_MEMBERS);
          if (member.role() == Role.OWNER || role == Role.OWNER) {
            require(actorRole, Permission.MANAGE_OWNERS);
          }
          if (member.role() == Role.OWNER && role != Role.OWNER) {
            keepAnOwner(members, target);
          }
          memberships.changeRole(u, org, target, role);
          return new Member(
              member.userId(), member.email(), member.displayName(), role, member.joinedAt());
        });
  }

  /**
   * Removes a member (or, when actor and target are one, leaves): the keys they created in the
   * organization are disabled.
   *
   * @throws AccountRefusedException when the actor may not, it is the personal organization, or it
   *     would leave no owner
   */
  public Removal remove(Actor actor, OrganizationId org, UserId target) {
    return remove(actor, org, target, null);
  }

  /**
   * Removes a member, as {@link #remove(Actor, OrganizationId, UserId)}; the keys they created are
   * given to {@code heir}, another member, and keep working, unless {@code heir} is null.
   *
   * @throws AccountRefusedException also when {@code heir} is not another member
   */
  public Removal remove(Actor actor, OrganizationId org, UserId target, UserId heir) {
    return transactions.inTenant(
        org,
        u -> {
          Role actorRole = roleOf(memberships, u, org, actor);
          Map<UserId, Member> members = memberships.lockedMembers(u, org);
          Member member = members.get(target);
          if (member == null) {
            throw AccountRefusedException.notFound("No such member");
          }
          if (isPersonal(u.connection(), org)) {
            throw AccountRefusedException.conflict("Nobody leaves their personal organization");
          }
          if (!actor.equals(Actor.member(target))) {
            require(actorRole, Permission.MANAGE_MEMBERS);
            if (member.role() == Role.OWNER) {
              require(actorRole, Permission.MANAGE_OWNERS);
            }
          }
          if (member.role() == Role.OWNER) {
            keepAnOwner(members, target);
          }
          if (heir != null && (heir.equals(target) || !members.containsKey(heir))) {
            throw AccountRefusedException.notFound(
                "No such member to give the keys to: choose another member of the organization");
          }
          memberships.remove(u, org, target);
          List<String> changed = new ArrayList<>();
          // keys stay on SQL; connection() writes the removal out first
          try (PreparedStatement keys =
              u.connection()
                  .prepareStatement(
                      heir == null
                          ? "UPDATE api_keys SET disabled = true, updated_at = ? WHERE org_id = ?"
                              + " AND created_by = ? AND deleted_at IS NULL AND NOT disabled"
                              + " RETURNING hash"
                          : "UPDATE api_keys SET created_by = ?, updated_at = ? WHERE org_id = ?"
                              + " AND created_by = ? AND deleted_at IS NULL RETURNING hash")) {
            int i = 1;
            if (heir != null) {
              keys.setObject(i++, heir.value());
            }
            keys.setTimestamp(i++, Timestamp.from(clock.instant()));
            keys.setObject(i++, org.value());
            keys.setObject(i, target.value());
            try (ResultSet rows = keys.executeQuery()) {
              while (rows.next()) {
                changed.add(rows.getString(1));
              }
            }
          }
          KeyChange.announceKeys(u.connection(), changed);
          return heir == null ? new Removal(changed, List.of()) : new Removal(List.of(), changed);
        });
  }

  private static void keepAnOwner(Map<UserId, Member> members, UserId leaving) {
    boolean another =
        members.values().stream()
            .anyMatch(m -> m.role() == Role.OWNER && !m.userId().equals(leaving));
    if (!another) {
      throw AccountRefusedException.conflict(
          "An organization keeps at least one owner: make someone else owner first");
    }
  }

  static void require(Role role, Permission permission) {
    if (!role.can(permission)) {
      throw AccountRefusedException.forbidden(
          "Your role (" + role.wireName() + ") does not allow this in this organization");
    }
  }

  /** The actor's role; a non-member is told the organization does not exist. */
  static Role roleOf(
      MembershipRepository memberships, UnitOfWork u, OrganizationId org, Actor actor) {
    if (actor instanceof Actor.ManagementKey key) {
      if (!key.org().equals(org)) {
        throw AccountRefusedException.notFound("No such organization");
      }
      return Actor.ManagementKey.ROLE;
    }
    return memberships
        .roleOf(u, org, ((Actor.Member) actor).user())
        .orElseThrow(() -> AccountRefusedException.notFound("No such organization"));
  }

  /**
   * The actor's role, read on a plain connection inside the caller's transaction (for work outside
   * the account entities, such as card purchases); a non-member is told the organization does not
   * exist.
   */
  public static Role roleOf(Connection c, OrganizationId org, Actor actor) throws SQLException {
    if (actor instanceof Actor.ManagementKey key) {
      if (!key.org().equals(org)) {
        throw AccountRefusedException.notFound("No such organization");
      }
      return Actor.ManagementKey.ROLE;
    }
    try (PreparedStatement query =
        c.prepareStatement("SELECT role FROM memberships WHERE org_id = ? AND user_id = ?")) {
      query.setObject(1, org.value());
      query.setObject(2, ((Actor.Member) actor).user().value());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw AccountRefusedException.notFound("No such organization");
        }
        return Role.parse(rows.getString(1)).orElseThrow();
      }
    }
  }

  /** Who an invitation says it is from: the member's name, or the management key's. */
  private static String inviterName(UnitOfWork u, Actor actor, Map<UserId, Member> members)
      throws SQLException {
    if (actor instanceof Actor.Member m) {
      return members.get(m.user()).displayName();
    }
    return keyInviterName(u, ((Actor.ManagementKey) actor).keyHash());
  }

  private static String keyInviterName(UnitOfWork u, String keyHash) throws SQLException {
    try (PreparedStatement query =
        u.connection().prepareStatement("SELECT name FROM api_keys WHERE hash = ?")) {
      query.setString(1, keyHash);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return "the API key " + rows.getString(1);
      }
    }
  }

  static boolean isPersonal(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement("SELECT is_personal FROM organizations WHERE id = ?")) {
      query.setObject(1, org.value());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() && rows.getBoolean(1);
      }
    }
  }

  /** An invitation as shown: with its organization's name and who it is from. */
  private Invitation invitation(UnitOfWork u, InvitationEntity invitation) throws SQLException {
    String orgName;
    try (PreparedStatement query =
        u.connection().prepareStatement("SELECT name FROM organizations WHERE id = ?")) {
      query.setObject(1, invitation.org().value());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        orgName = rows.getString(1);
      }
    }
    String invitedBy =
        invitation.invitedBy() != null
            ? users.find(u, invitation.invitedBy()).orElseThrow().displayName()
            : keyInviterName(u, invitation.invitedByKey());
    return new Invitation(
        invitation.org(),
        orgName,
        invitation.email(),
        invitation.role(),
        invitedBy,
        invitation.expiresAt());
  }
}
