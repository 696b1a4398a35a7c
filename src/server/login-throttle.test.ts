import { describe, expect, it } from 'vitest';
import { backoffMs, LoginThrottle } from './login-throttle';

describe('backoffMs', () => {
  it('is free for the first failures, then doubles from the base up to the cap', () => {
    expect([0, 1, 2].map((n) => backoffMs(n, 3, 1000, 60_000))).toEqual([0, 0, 0]);
    expect([3, 4, 5, 6].map((n) => backoffMs(n, 3, 1000, 60_000))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(20, 3, 1000, 60_000)).toBe(60_000);
    expect(backoffMs(10_000, 3, 1000, 60_000)).toBe(60_000); // no overflow to Infinity or NaN
  });
});

describe('LoginThrottle', () => {
  it('slows one address guessing one name, with backoff, and leaves the same name from another address alone', () => {
    const t = new LoginThrottle(3, 1000, 60_000, 3_600_000);
    for (let i = 0; i < 3; i++) t.fail('10.0.0.9', 'reviewer', i);
    expect(t.retryAfterMs('10.0.0.9', 'reviewer', 2)).toBe(1000); // 1 s after the last failure
    expect(t.retryAfterMs('10.0.0.9', 'REVIEWER', 2)).toBeGreaterThan(0); // names are case-insensitive
    expect(t.retryAfterMs('10.0.0.1', 'reviewer', 2)).toBe(0); // the real reviewer elsewhere is not locked out
    expect(t.retryAfterMs('10.0.0.9', 'proctor', 2)).toBe(0); // other names are not affected
    expect(t.retryAfterMs('10.0.0.9', 'reviewer', 1002)).toBe(0);
    t.fail('10.0.0.9', 'reviewer', 1002);
    expect(t.retryAfterMs('10.0.0.9', 'reviewer', 1002)).toBe(2000); // doubled
    t.fail('10.0.0.9', 'reviewer', 3002);
    expect(t.retryAfterMs('10.0.0.9', 'reviewer', 3002)).toBe(4000);
  });

  it('a success clears the pair; an old failure is forgotten', () => {
    const t = new LoginThrottle(1, 1000, 60_000, 10_000);
    t.fail('a', 'admin', 0);
    expect(t.retryAfterMs('a', 'admin', 10)).toBe(990);
    t.succeed('a', 'admin');
    expect(t.retryAfterMs('a', 'admin', 10)).toBe(0);
    t.fail('a', 'admin', 20);
    t.fail('a', 'admin', 1020);
    expect(t.retryAfterMs('a', 'admin', 1020)).toBe(2000);
    expect(t.retryAfterMs('a', 'admin', 11_020)).toBe(0); // forgotten after 10 s
    t.fail('a', 'admin', 11_020);
    expect(t.retryAfterMs('a', 'admin', 11_020)).toBe(1000); // counted from one again
  });
});
