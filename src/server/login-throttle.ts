/**
 * Slows password guessing without letting anyone lock an account for everybody (five
 * wrong passwords for a name used to lock it for 15 minutes, whoever asked, so anyone could lock
 * the reviewer out). Failures are counted per address AND name together: after FREE_FAILURES
 * wrong passwords from one address for one name, that pair waits BASE_DELAY_MS, doubling with
 * every further failure up to MAX_DELAY_MS. The same person from another address is not touched.
 * A failure older than FORGET_MS since the pair's last one is forgotten. In memory: a restart
 * forgets, which is acceptable for delays measured in minutes.
 */
export const FREE_FAILURES = 3;
export const BASE_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 15 * 60_000;
export const FORGET_MS = 60 * 60_000;

interface Record {
  failures: number;
  last: number;
}

/** The wait after `failures` consecutive wrong passwords (pure, for the tests and the docs). */
export function backoffMs(failures: number, free = FREE_FAILURES, base = BASE_DELAY_MS, max = MAX_DELAY_MS): number {
  if (failures < free) return 0;
  return Math.min(max, base * 2 ** Math.min(failures - free, 30));
}

export class LoginThrottle {
  private readonly pairs = new Map<string, Record>();

  constructor(
    private readonly free = FREE_FAILURES,
    private readonly baseMs = BASE_DELAY_MS,
    private readonly maxMs = MAX_DELAY_MS,
    private readonly forgetMs = FORGET_MS,
  ) {}

  private key(address: string, username: string): string {
    return `${address}|${username.toLowerCase()}`;
  }

  private current(key: string, now: number): Record | null {
    const r = this.pairs.get(key);
    if (r && now - r.last >= this.forgetMs) {
      this.pairs.delete(key);
      return null;
    }
    return r ?? null;
  }

  /** Milliseconds until this address may try this name again, or 0 when it may try now. */
  retryAfterMs(address: string, username: string, now: number): number {
    const r = this.current(this.key(address, username), now);
    if (!r) return 0;
    return Math.max(0, r.last + backoffMs(r.failures, this.free, this.baseMs, this.maxMs) - now);
  }

  fail(address: string, username: string, now: number): void {
    const key = this.key(address, username);
    const r = this.current(key, now);
    this.pairs.set(key, { failures: (r?.failures ?? 0) + 1, last: now });
    if (this.pairs.size > 10_000) this.prune(now);
  }

  succeed(address: string, username: string): void {
    this.pairs.delete(this.key(address, username));
  }

  /** Whether wrong passwords are slowing this name now: the latest time any address may try again, and from how many addresses. */
  slowed(username: string, now: number): { until: number; addresses: number } | null {
    const suffix = `|${username.toLowerCase()}`;
    let until = 0;
    let addresses = 0;
    for (const [key] of this.pairs) {
      if (!key.endsWith(suffix)) continue;
      const wait = this.retryAfterMs(key.slice(0, -suffix.length), username, now);
      if (wait > 0) {
        addresses++;
        until = Math.max(until, now + wait);
      }
    }
    return addresses ? { until, addresses } : null;
  }

  /** An admin lifts the slow-down of a name (after a password reset, or the person was vouched for). */
  forgetName(username: string): void {
    const suffix = `|${username.toLowerCase()}`;
    for (const key of [...this.pairs.keys()]) if (key.endsWith(suffix)) this.pairs.delete(key);
  }

  private prune(now: number): void {
    for (const [key, r] of this.pairs) if (now - r.last >= this.forgetMs) this.pairs.delete(key);
  }
}
