/**
 * Slows password guessing: after MAX_FAILURES wrong passwords for one user name within the
 * window, that name is locked for the rest of the window (answer 429), whoever is asking.
 * In memory: a restart forgets, which is acceptable for a lock measured in minutes.
 */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly maxFailures = MAX_FAILURES, private readonly windowMs = WINDOW_MS) {}

  private recent(username: string, now: number): number[] {
    const kept = (this.failures.get(username) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length === 0) this.failures.delete(username);
    else this.failures.set(username, kept);
    return kept;
  }

  /** Milliseconds until this name may try again, or 0 when it may try now. */
  retryAfterMs(username: string, now: number): number {
    const recent = this.recent(username.toLowerCase(), now);
    if (recent.length < this.maxFailures) return 0;
    return this.windowMs - (now - recent[recent.length - this.maxFailures]!);
  }

  fail(username: string, now: number): void {
    const key = username.toLowerCase();
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeed(username: string): void {
    this.failures.delete(username.toLowerCase());
  }
}
