package dev.switchboard.launcher;

/**
 * Where the application's datasource connects, published to it as system properties: as the role
 * that owns the schema (which migrates it) and as the role the application runs as, which owns
 * nothing so that row-level security holds it. The two are one role when an external database names
 * no application role.
 */
record DatabaseCoordinates(
    String jdbcUrl, String ownerUser, String ownerPassword, String appUser, String appPassword) {

  static final String URL_PROPERTY = "switchboard.db.url";
  static final String USER_PROPERTY = "switchboard.db.user";
  static final String PASSWORD_PROPERTY = "switchboard.db.password";
  static final String OWNER_USER_PROPERTY = "switchboard.db.owner.user";
  static final String OWNER_PASSWORD_PROPERTY = "switchboard.db.owner.password";

  /**
   * MicroProfile Config treats an empty value as missing, which would leave the datasource
   * undefined; a server with trust authentication ignores the placeholder password, any other one
   * rejects it.
   */
  static final String NO_PASSWORD = "no-password-given";

  void publishAsSystemProperties() {
    System.setProperty(URL_PROPERTY, jdbcUrl);
    System.setProperty(USER_PROPERTY, orPostgres(appUser));
    System.setProperty(PASSWORD_PROPERTY, orPlaceholder(appPassword));
    System.setProperty(OWNER_USER_PROPERTY, orPostgres(ownerUser));
    System.setProperty(OWNER_PASSWORD_PROPERTY, orPlaceholder(ownerPassword));
  }

  private static String orPostgres(String user) {
    return user.isEmpty() ? "postgres" : user;
  }

  private static String orPlaceholder(String password) {
    return password.isEmpty() ? NO_PASSWORD : password;
  }

  @Override
  public String toString() {
    return "DatabaseCoordinates[" + jdbcUrl + " as " + appUser + ", owned by " + ownerUser + "]";
  }
}
