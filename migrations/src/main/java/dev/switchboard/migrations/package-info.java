/** The database schema (Flyway SQL under {@code db/migration}) and the migrator run at start-up. */
package dev.switchboard.migrations;
