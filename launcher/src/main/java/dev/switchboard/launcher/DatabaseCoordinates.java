package dev.switchboard.launcher;

/** Where the application's datasource connects; published to it as system properties. */
record DatabaseCoordinates(String jdbcUrl, String user, String password) {

  static final String URL_PROPERTY = "switchboard.db.url";
  static final String USER_PROPERTY = "switchboard.db.user";
  static final String PASSWORD_PROPERTY = "switchboard.db.password";

  /**
   * MicroProfile Config treats an empty value as missing, which would leave the datasource
   * undefined; a server with trust authentication ignores the placeholder password, any other one
   * rejects it.
   */
  static final String NO_PASSWORD = "no-password-given";

  void publishAsSystemProperties() {
    System.setProperty(URL_PROPERTY, jdbcUrl);
    System.setProperty(USER_PROPERTY, user.isEmpty() ? "postgres" : user);
    System.setProperty(PASSWORD_PROPERTY, password.isEmpty() ? NO_PASSWORD : password);
  }
}
