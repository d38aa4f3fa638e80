/**
 * Keyboard focus around a command. Its controls are disabled while it runs, and a disabled
 * control loses focus to <body>: afterwards focus goes back to the control, or, when the
 * command removed it, to `fallback` (the panel's heading, next to where the control was).
 */
export const keepFocus = async <T>(run: () => Promise<T>, fallback?: () => HTMLElement | null): Promise<T> => {
  const active = document.activeElement;
  const before = active instanceof HTMLElement && active !== document.body ? active : undefined;
  try {
    return await run();
  } finally {
    // After the render that enables the controls again (Preact renders in a microtask).
    setTimeout(() => {
      if (!before || (document.activeElement && document.activeElement !== document.body)) return;
      (before.isConnected ? before : fallback?.())?.focus();
    }, 0);
  }
};
