import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('locks a name after 5 failures within 15 minutes, until the oldest counted failure is 15 minutes old', () => {
    const t = new LoginThrottle(5, 15 * 60_000);
    for (let i = 0; i < 4; i++) t.fail('proctor', i * 1000);
    expect(t.retryAfterMs('proctor', 4000)).toBe(0);
    t.fail('proctor', 4000);
    expect(t.retryAfterMs('proctor', 5000)).toBe(15 * 60_000 - 5000);
    expect(t.retryAfterMs('PROCTOR', 5000)).toBeGreaterThan(0); // names are case-insensitive
    expect(t.retryAfterMs('reviewer', 5000)).toBe(0); // other names are not affected
    expect(t.retryAfterMs('proctor', 15 * 60_000)).toBe(0); // the first failure has left the window
  });

  it('a success clears the count', () => {
    const t = new LoginThrottle(2, 60_000);
    t.fail('admin', 0);
    t.succeed('admin');
    t.fail('admin', 10);
    expect(t.retryAfterMs('admin', 20)).toBe(0);
    t.fail('admin', 20);
    expect(t.retryAfterMs('admin', 30)).toBe(60_000 - 20);
  });
});
