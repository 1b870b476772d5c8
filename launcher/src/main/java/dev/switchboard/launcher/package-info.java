/**
 * Start class of the runnable jar. It runs before Payara Micro so that the database the
 * application's datasource points at is up when the application deploys: the embedded PostgreSQL by
 * default, an external one when {@code SWITCHBOARD_DB_URL} is set.
 */
package dev.switchboard.launcher;
