/**
 * The model catalog: providers (with their wire format and where their key comes from), models and
 * their endpoints with list prices. Loaded once from the catalog file, validated whole, and served
 * from an immutable in-memory snapshot.
 */
package dev.switchboard.domain.catalog;
