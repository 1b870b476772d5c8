/**
 * The Vaadin dashboard: the application shell ({@link dev.switchboard.webui.ui.MainLayout}) and one
 * sub-package per feature. Views stay thin; what they show is computed by small plain classes that
 * are unit tested without Vaadin.
 */
package dev.switchboard.webui.ui;
