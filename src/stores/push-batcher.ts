/**
 * The control room's pushes arrive one socket message at a time: with 300 candidates that is
 * hundreds of store updates a second, and each would be its own React render. The batcher holds
 * them and applies them together, in arrival order, at most once per `intervalMs`, so the page
 * renders once per batch (React batches the store updates made in one task). The
 * control room's main thread must have no long task over 100 ms under that load.
 */
export const PUSH_FLUSH_MS = 100;
/**
 * One timed flush applies pushes for at most this long; the rest wait for the next turn of the event
 * loop (timer 0), so a burst (every watched card's first still at once, a reconnect's backlog) is
 * spread over several short tasks with a render between them instead of one long one.
 */
export const PUSH_SLICE_MS = 12;

export interface PushBatcher {
  /** `apply`, deferred to the next flush (same order as the calls across every wrapped function). */
  wrap<T>(apply: (value: T) => void): (value: T) => void;
  /** Applies everything held now, whatever it takes (on log-out, after a subscription, or in tests). */
  flush(): void;
  /** Drops what is held and stops the timer. */
  dispose(): void;
  readonly pending: number;
}

export interface PushBatcherOptions {
  intervalMs?: number;
  sliceMs?: number;
  timers?: { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void };
  now?: () => number;
  /**
   * Runs each slice's applies, e.g. as one store update (staff-store.ts `inOneUpdate`: the subscribers
   * are told once per slice, not once per push). By default they simply run.
   */
  around?: (run: () => void) => void;
}

export function createPushBatcher({
  intervalMs = PUSH_FLUSH_MS,
  sliceMs = PUSH_SLICE_MS,
  timers = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  },
  now = () => performance.now(),
  around = (run) => run(),
}: PushBatcherOptions = {}): PushBatcher {
  let held: Array<() => void> = [];
  let timer: unknown = null;
  const stopTimer = () => {
    if (timer !== null) timers.clear(timer);
    timer = null;
  };
  /** Applies held pushes in order until `budgetMs` has passed (at least one); the rest stay held. */
  const apply = (budgetMs: number) => {
    stopTimer();
    const started = now();
    let done = 0;
    const run = held;
    held = [];
    try {
      around(() => {
        while (done < run.length) {
          run[done++]!();
          if (now() - started >= budgetMs) break;
        }
      });
    } finally {
      // What arrived meanwhile (an apply may push) goes after what was already waiting.
      held = run.slice(done).concat(held);
      if (held.length > 0) timer = timers.set(() => apply(sliceMs), 0);
    }
  };
  return {
    wrap: (fn) => (value) => {
      held.push(() => fn(value));
      timer ??= timers.set(() => apply(sliceMs), intervalMs);
    },
    flush: () => apply(Infinity),
    dispose: () => {
      stopTimer();
      held = [];
    },
    get pending() {
      return held.length;
    },
  };
}
