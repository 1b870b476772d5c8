package dev.switchboard.domain.accounts;

import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.PersistenceUnits;
import java.util.List;
import javax.sql.DataSource;

/** The account entities' persistence unit, over the application's data source. */
public final class AccountsPersistenceUnit {

  static final List<Class<?>> ENTITIES =
      List.of(
          Account.class,
          LinkedIdentity.class,
          SignInSession.class,
          EmailLink.class,
          MembershipEntity.class,
          InvitationEntity.class,
          WorkspaceEntity.class);

  private AccountsPersistenceUnit() {}

  /** Transactions over the account entities; close them when the application stops. */
  public static EntityTransactions open(DataSource dataSource) {
    return new EntityTransactions(PersistenceUnits.create("accounts", dataSource, ENTITIES));
  }
}
