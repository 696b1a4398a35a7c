/**
 * The control room's pushes arrive one socket message at a time: with 300 candidates that is
 * hundreds of store updates a second, and each would be its own React render. The batcher holds
 * them and applies them together, in arrival order, at most once per `intervalMs`, so the page
 * renders once per batch (React batches the store updates made in one task). Issue 10: the
 * control room's main thread must have no long task over 100 ms under that load.
 */
export const PUSH_FLUSH_MS = 100;

export interface PushBatcher {
  /** `apply`, deferred to the next flush (same order as the calls across every wrapped function). */
  wrap<T>(apply: (value: T) => void): (value: T) => void;
  /** Applies everything held now (on log-out, or in tests). */
  flush(): void;
  /** Drops what is held and stops the timer. */
  dispose(): void;
  readonly pending: number;
}

export function createPushBatcher(
  intervalMs = PUSH_FLUSH_MS,
  timers: { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void } = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  },
): PushBatcher {
  let held: Array<() => void> = [];
  let timer: unknown = null;
  const flush = () => {
    if (timer !== null) timers.clear(timer);
    timer = null;
    const run = held;
    held = [];
    for (const apply of run) apply();
  };
  return {
    wrap: (apply) => (value) => {
      held.push(() => apply(value));
      timer ??= timers.set(flush, intervalMs);
    },
    flush,
    dispose: () => {
      if (timer !== null) timers.clear(timer);
      timer = null;
      held = [];
    },
    get pending() {
      return held.length;
    },
  };
}
