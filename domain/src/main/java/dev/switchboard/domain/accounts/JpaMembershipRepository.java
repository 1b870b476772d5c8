package dev.switchboard.domain.accounts;

import dev.switchboard.domain.UnitOfWork;
import dev.switchboard.domain.tenancy.OrganizationId;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Memberships and invitations through JPA. */
final class JpaMembershipRepository implements MembershipRepository {

  @Override
  public Optional<Role> roleOf(UnitOfWork u, OrganizationId org, UserId user) {
    return Optional.ofNullable(
            u.entities().find(MembershipEntity.class, new MembershipEntity.Key(org, user)))
        .map(MembershipEntity::role);
  }

  @Override
  public Map<UserId, Member> lockedMembers(UnitOfWork u, OrganizationId org) {
    // the memberships are locked, not the users' rows (as FOR UPDATE OF would)
    List<MembershipEntity> memberships =
        u.entities()
            .createQuery(
                "SELECT m FROM MembershipEntity m WHERE m.orgId = :org", MembershipEntity.class)
            .setParameter("org", org.value())
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getResultList();
    if (memberships.isEmpty()) {
      return Map.of();
    }
    Map<UUID, Account> accounts =
        u.entities()
            .createQuery("SELECT a FROM Account a WHERE a.id IN :ids", Account.class)
            .setParameter("ids", memberships.stream().map(m -> m.user().value()).toList())
            .getResultStream()
            .collect(Collectors.toMap(a -> a.asUser().id().value(), Function.identity()));
    Map<UserId, Member> members = new LinkedHashMap<>();
    memberships.stream()
        .map(
            m -> {
              User user = accounts.get(m.user().value()).asUser();
              return new Member(
                  user.id(), user.email(), user.displayName(), m.role(), m.joinedAt());
            })
        .sorted(Comparator.comparing(Member::joinedAt).thenComparing(Member::email))
        .forEach(m -> members.put(m.userId(), m));
    return members;
  }

  @Override
  public void changeRole(UnitOfWork u, OrganizationId org, UserId user, Role role) {
    u.entities().find(MembershipEntity.class, new MembershipEntity.Key(org, user)).changeRole(role);
  }

  @Override
  public void remove(UnitOfWork u, OrganizationId org, UserId user) {
    u.entities()
        .remove(u.entities().find(MembershipEntity.class, new MembershipEntity.Key(org, user)));
  }

  @Override
  public void removeAll(UnitOfWork u, OrganizationId org) {
    u.entities()
        .createQuery("DELETE FROM MembershipEntity m WHERE m.orgId = :org")
        .setParameter("org", org.value())
        .executeUpdate();
  }

  @Override
  public void invite(UnitOfWork u, InvitationEntity invitation, Instant now) {
    u.entities()
        .createQuery(
            "UPDATE InvitationEntity i SET i.endedAt = :now"
                + " WHERE i.orgId = :org AND i.email = :email AND i.endedAt IS NULL")
        .setParameter("now", now)
        .setParameter("org", invitation.org().value())
        .setParameter("email", invitation.email())
        .executeUpdate();
    u.entities().persist(invitation);
  }

  @Override
  public List<InvitationEntity> pendingInvitations(UnitOfWork u, OrganizationId org, Instant now) {
    return u.entities()
        .createQuery(
            "SELECT i FROM InvitationEntity i WHERE i.orgId = :org AND i.endedAt IS NULL"
                + " AND i.expiresAt > :now ORDER BY i.createdAt",
            InvitationEntity.class)
        .setParameter("org", org.value())
        .setParameter("now", now)
        .getResultList();
  }

  @Override
  public Optional<InvitationEntity> invitation(UnitOfWork u, String tokenHash, boolean lock) {
    return Optional.ofNullable(
        lock
            ? u.entities().find(InvitationEntity.class, tokenHash, LockModeType.PESSIMISTIC_WRITE)
            : u.entities().find(InvitationEntity.class, tokenHash));
  }

  @Override
  public void endInvitations(UnitOfWork u, OrganizationId org, Instant now) {
    u.entities()
        .createQuery(
            "UPDATE InvitationEntity i SET i.endedAt = :now"
                + " WHERE i.orgId = :org AND i.endedAt IS NULL")
        .setParameter("now", now)
        .setParameter("org", org.value())
        .executeUpdate();
  }
}
