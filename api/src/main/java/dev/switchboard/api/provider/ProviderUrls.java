package dev.switchboard.api.provider;

import java.net.URI;

/** Where a wire format's call goes: the provider's base URL joined with the format's path. */
public final class ProviderUrls {

  private ProviderUrls() {}

  /**
   * {@code base} and {@code path} joined by exactly one slash, whether the catalog's (or the
   * organization's) base URL ends with one or not.
   */
  public static URI resolve(URI base, String path) {
    String text = base.toString();
    if (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(path.startsWith("/") ? text + path : text + "/" + path);
  }
}
