package dev.switchboard.api.catalog;

import java.util.Map;

/**
 * The built-in catalog used when {@code SWITCHBOARD_CATALOG} is not set: simulated providers
 * running inside the application. Supplied by the module that assembles the application.
 */
public interface DemoCatalog {

  /** Where the text comes from, for error messages. */
  String source();

  /** The catalog file's text, in the contract's shape. */
  String text();

  /** Values for the {@code api_key_env} variables the demo's providers name. */
  Map<String, String> providerKeys();
}
