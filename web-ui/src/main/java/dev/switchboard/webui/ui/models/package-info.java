/**
 * The public model catalog: the searchable list of models ({@link
 * dev.switchboard.webui.ui.models.ModelsView}) and one page per model with its endpoints ({@link
 * dev.switchboard.webui.ui.models.ModelView}). Both read the in-memory catalog snapshot; nothing
 * here does I/O.
 */
package dev.switchboard.webui.ui.models;
