package dev.switchboard.domain.accounts;

import dev.switchboard.domain.TenantScope;
import dev.switchboard.domain.TransactionRunner;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Team organizations and who belongs to them: create a team, invite by e-mail (a single-use link
 * that expires), accept, change a role, remove a member, leave. Every change is checked against the
 * {@link Actor}'s role ({@link Role#can}) with the organization's memberships locked, so that
 * concurrent changes can never leave an organization without an owner. Someone who is not a member
 * is told the organization does not exist.
 */
public final class MembershipService {

  static final Duration INVITATION_LIFETIME = Duration.ofDays(7);

  /** The columns {@link #invitation} reads, joined with the organization and the inviter. */
  private static final String INVITATIONS =
      "SELECT i.org_id, o.name, i.email, i.role,"
          + " coalesce(u.display_name, 'the API key ' || k.name), i.expires_at"
          + " FROM invitations i JOIN organizations o ON o.id = i.org_id"
          + " LEFT JOIN users u ON u.id = i.invited_by"
          + " LEFT JOIN api_keys k ON k.hash = i.invited_by_key";

  /**
   * What a removal did: the hashes of the keys it disabled (for the gateway's key cache), or of
   * those it gave to another member.
   */
  public record Removal(List<String> disabledKeyHashes, List<String> reassignedKeyHashes) {}

  private final TransactionRunner transactions;
  private final OrganizationRepository organizations;
  private final UserRepository users;
  private final Mailer mailer;
  private final Clock clock;
  private final LinkBase links;

  public MembershipService(
      TransactionRunner transactions,
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
        c -> {
          Organization team = organizations.found(c, name, false);
          users.addMembership(c, team.id(), creator, Role.OWNER, clock.instant());
          return new Membership(team.id(), team.name(), false, Role.OWNER);
        });
  }

  /** The organization's members, for one of them. */
  public List<Member> members(Actor actor, OrganizationId org) {
    return transactions.inTenant(
        org,
        c -> {
          roleOf(c, org, actor);
          return new ArrayList<>(lockedMembers(c, org).values());
        });
  }

  /** Invitations not yet accepted, ended or expired, for members who may manage members. */
  public List<Invitation> pendingInvitations(Actor actor, OrganizationId org) {
    Instant now = clock.instant();
    return transactions.inTenant(
        org,
        c -> {
          require(roleOf(c, org, actor), Permission.MANAGE_MEMBERS);
          try (PreparedStatement query =
              c.prepareStatement(
                  INVITATIONS
                      + " WHERE i.org_id = ? AND i.ended_at IS NULL AND i.expires_at > ?"
                      + " ORDER BY i.created_at")) {
            query.setObject(1, org.value());
            query.setTimestamp(2, Timestamp.from(now));
            List<Invitation> pending = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                pending.add(invitation(rows));
              }
            }
            return pending;
          }
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
            c -> {
              Role actorRole = roleOf(c, org, actor);
              require(actorRole, Permission.MANAGE_MEMBERS);
              if (role == Role.OWNER) {
                require(actorRole, Permission.MANAGE_OWNERS);
              }
              Map<UserId, Member> members = lockedMembers(c, org);
              if (isPersonal(c, org)) {
                throw AccountRefusedException.conflict(
                    "A personal organization has only its owner: create a team organization to"
                        + " invite people");
              }
              if (members.values().stream().anyMatch(m -> m.email().equals(email))) {
                throw AccountRefusedException.conflict(email + " is already a member");
              }
              try (PreparedStatement end =
                  c.prepareStatement(
                      "UPDATE invitations SET ended_at = ?"
                          + " WHERE org_id = ? AND email = ? AND ended_at IS NULL")) {
                end.setTimestamp(1, Timestamp.from(now));
                end.setObject(2, org.value());
                end.setString(3, email);
                end.executeUpdate();
              }
              try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO invitations (token_hash, org_id, email, role, invited_by,"
                          + " invited_by_key, created_at, expires_at)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, SecretToken.hash(token));
                insert.setObject(2, org.value());
                insert.setString(3, email);
                insert.setString(4, role.wireName());
                insert.setObject(5, actor instanceof Actor.Member m ? m.user().value() : null);
                insert.setString(6, actor instanceof Actor.ManagementKey k ? k.keyHash() : null);
                insert.setTimestamp(7, Timestamp.from(now));
                insert.setTimestamp(8, Timestamp.from(now.plus(INVITATION_LIFETIME)));
                insert.executeUpdate();
              }
              return new Invitation(
                  org,
                  organizations.find(org).orElseThrow().name(),
                  email,
                  role,
                  inviterName(c, actor, members),
                  now.plus(INVITATION_LIFETIME));
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
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  INVITATIONS
                      + " WHERE i.token_hash = ? AND i.ended_at IS NULL AND i.expires_at > ?")) {
            query.setString(1, SecretToken.hash(token));
            query.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(invitation(rows)) : Optional.empty();
            }
          }
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
        c -> {
          OrganizationId org;
          String email;
          Role role;
          try (PreparedStatement use =
              c.prepareStatement(
                  "UPDATE invitations SET ended_at = ?, accepted_by = ? WHERE token_hash = ?"
                      + " AND ended_at IS NULL AND expires_at > ? RETURNING org_id, email, role")) {
            use.setTimestamp(1, Timestamp.from(now));
            use.setObject(2, user.value());
            use.setString(3, SecretToken.hash(token));
            use.setTimestamp(4, Timestamp.from(now));
            try (ResultSet rows = use.executeQuery()) {
              if (!rows.next()) {
                throw new AccountRefusedException(
                    "This invitation is not valid: it was used already, withdrawn or has expired."
                        + " Ask for a new one.");
              }
              org = new OrganizationId(rows.getObject(1, UUID.class));
              email = rows.getString(2);
              role = Role.parse(rows.getString(3)).orElseThrow();
            }
          }
          TenantScope.enter(c, org);
          User accepting = users.find(c, user).orElseThrow();
          if (!accepting.email().equals(email) || !accepting.emailVerified()) {
            // throwing rolls the use of the link back: its rightful owner can still accept it
            throw new AccountRefusedException(
                "This invitation was sent to another address: sign in as "
                    + email
                    + " to accept it");
          }
          if (!lockedMembers(c, org).containsKey(user)) {
            users.addMembership(c, org, user, role, now);
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
        c -> {
          Role actorRole = roleOf(c, org, actor);
          Map<UserId, Member> members = lockedMembers(c, org);
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
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE memberships SET role = ? WHERE org_id = ? AND user_id = ?")) {
            update.setString(1, role.wireName());
            update.setObject(2, org.value());
            update.setObject(3, target.value());
            update.executeUpdate();
          }
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
        c -> {
          Role actorRole = roleOf(c, org, actor);
          Map<UserId, Member> members = lockedMembers(c, org);
          Member member = members.get(target);
          if (member == null) {
            throw AccountRefusedException.notFound("No such member");
          }
          if (isPersonal(c, org)) {
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
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM memberships WHERE org_id = ? AND user_id = ?")) {
            delete.setObject(1, org.value());
            delete.setObject(2, target.value());
            delete.executeUpdate();
          }
          List<String> changed = new ArrayList<>();
          try (PreparedStatement keys =
              c.prepareStatement(
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
  public static Role roleOf(Connection c, OrganizationId org, Actor actor) throws SQLException {
    if (actor instanceof Actor.ManagementKey key) {
      if (!key.org().equals(org)) {
        throw AccountRefusedException.notFound("No such organization");
      }
      return Actor.ManagementKey.ROLE;
    }
    UserId user = ((Actor.Member) actor).user();
    try (PreparedStatement query =
        c.prepareStatement("SELECT role FROM memberships WHERE org_id = ? AND user_id = ?")) {
      query.setObject(1, org.value());
      query.setObject(2, user.value());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw AccountRefusedException.notFound("No such organization");
        }
        return Role.parse(rows.getString(1)).orElseThrow();
      }
    }
  }

  /** Who an invitation says it is from: the member's name, or the management key's. */
  private static String inviterName(Connection c, Actor actor, Map<UserId, Member> members)
      throws SQLException {
    if (actor instanceof Actor.Member m) {
      return members.get(m.user()).displayName();
    }
    try (PreparedStatement query = c.prepareStatement("SELECT name FROM api_keys WHERE hash = ?")) {
      query.setString(1, ((Actor.ManagementKey) actor).keyHash());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return "the API key " + rows.getString(1);
      }
    }
  }

  /** The members, their rows locked until the transaction ends (one change at a time). */
  private static Map<UserId, Member> lockedMembers(Connection c, OrganizationId org)
      throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT u.id, u.email, u.display_name, m.role, m.created_at FROM memberships m"
                + " JOIN users u ON u.id = m.user_id WHERE m.org_id = ?"
                + " ORDER BY m.created_at, u.email FOR UPDATE OF m")) {
      query.setObject(1, org.value());
      Map<UserId, Member> members = new LinkedHashMap<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          UserId id = new UserId(rows.getObject(1, UUID.class));
          members.put(
              id,
              new Member(
                  id,
                  rows.getString(2),
                  rows.getString(3),
                  Role.parse(rows.getString(4)).orElseThrow(),
                  rows.getTimestamp(5).toInstant()));
        }
      }
      return members;
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

  private static Invitation invitation(ResultSet rows) throws SQLException {
    return new Invitation(
        new OrganizationId(rows.getObject(1, UUID.class)),
        rows.getString(2),
        rows.getString(3),
        Role.parse(rows.getString(4)).orElseThrow(),
        rows.getString(5),
        rows.getTimestamp(6).toInstant());
  }
}
