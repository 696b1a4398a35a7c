/**
 * No endless waits: every step that waits on the browser (the camera's permission, an
 * audio context starting, the models loading) waits at most a set time. Past it the caller gets a
 * TimeLimitError and tells the candidate what failed; a result that still arrives later is handed
 * to `late` (a camera stream opened after the limit is stopped there, never leaked).
 */
export class TimeLimitError extends Error {
  constructor(
    readonly what: string,
    readonly limitMs: number,
  ) {
    super(`${what} did not finish within ${Math.round(limitMs / 1000)} s`);
    this.name = 'TimeLimitError';
  }
}

export function withinTime<T>(work: Promise<T>, limitMs: number, what: string, late?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new TimeLimitError(what, limitMs));
    }, limitMs);
    work.then(
      (value) => {
        if (!timedOut) {
          clearTimeout(timer);
          resolve(value);
        } else late?.(value);
      },
      (err: unknown) => {
        if (timedOut) return; // the caller has already been told it took too long
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * A limit on silence rather than on the whole wait: `expired` rejects with TimeLimitError once
 * `limitMs` pass without a touch(). Loading the models may take minutes on a slow line; it may not
 * stand still for long.
 */
export function stallLimit(limitMs: number, what: string): { touch(): void; stop(): void; expired: Promise<never> } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let fire: (err: TimeLimitError) => void = () => undefined;
  const expired = new Promise<never>((_, reject) => (fire = reject));
  expired.catch(() => undefined); // nobody need listen once the wait is over
  const arm = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => fire(new TimeLimitError(what, limitMs)), limitMs);
  };
  arm();
  return {
    touch: arm,
    stop: () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
    expired,
  };
}
