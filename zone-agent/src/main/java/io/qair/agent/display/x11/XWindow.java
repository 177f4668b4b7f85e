package io.qair.agent.display.x11;

/**
 * One mapped top-level window of a qube's X display, as the window manager reports it.
 *
 * @param id the X window id
 * @param x left edge on the virtual screen (outer, border included)
 * @param y top edge on the virtual screen
 * @param width outer width
 * @param height outer height
 * @param title untrusted, but already cut to 256 code points with control characters removed;
 *     empty for popups and windows without a name
 * @param kind what the window is
 * @param parent for {@link Kind#TRANSIENT}, the managed window it is a dialog of; for
 *     {@link Kind#POPUP}, its WM_TRANSIENT_FOR if that is a managed window, else the managed window
 *     it overlaps most; 0 if none
 */
public record XWindow(int id, int x, int y, int width, int height, String title, Kind kind, int parent) {
  public enum Kind {
    /** A managed top-level window. */
    NORMAL,
    /** A managed dialog (WM_TRANSIENT_FOR a managed window). */
    TRANSIENT,
    /** An override-redirect window (menu, tooltip): not managed, may overlap others. */
    POPUP
  }
}
