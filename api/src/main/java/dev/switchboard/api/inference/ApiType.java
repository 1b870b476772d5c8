package dev.switchboard.api.inference;

/** Which ingress API a request came through, recorded on its generation. */
public enum ApiType {
  CHAT("chat"),
  COMPLETIONS("completions"),
  MESSAGES("messages");

  private final String wireName;

  ApiType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
