package dev.switchboard.domain.accounts;

/** The platform's public address, and the e-mailed links to its pages. */
record LinkBase(String url) {

  LinkBase {
    url = url.endsWith("/") ? url : url + "/";
  }

  /** A dashboard page, e.g. {@code signin}. */
  String page(String page) {
    return url + page;
  }

  /** A page that takes a single-use token, e.g. {@code verify-email?token=…}. */
  String withToken(String page, String token) {
    return url + page + "?token=" + token;
  }
}
