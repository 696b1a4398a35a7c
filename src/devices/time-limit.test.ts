import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stallLimit, TimeLimitError, withinTime } from './time-limit';

describe('withinTime (no endless waits)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes a result that arrives in time', async () => {
    await expect(withinTime(Promise.resolve(7), 1_000, 'x')).resolves.toBe(7);
  });

  it('passes a failure that arrives in time unchanged', async () => {
    const err = new Error('denied');
    await expect(withinTime(Promise.reject(err), 1_000, 'x')).rejects.toBe(err);
  });

  it('refuses a wait that never ends, naming what and how long', async () => {
    const pending = withinTime(new Promise<never>(() => undefined), 5_000, 'the camera');
    const caught = pending.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(4_999);
    let settled = false;
    void caught.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const err = await caught;
    expect(err).toBeInstanceOf(TimeLimitError);
    expect(err).toMatchObject({ what: 'the camera', limitMs: 5_000, message: 'the camera did not finish within 5 s' });
  });

  it('hands a result that comes after the limit to `late` (a stream opened too late is stopped, not leaked)', async () => {
    let open!: (v: string) => void;
    const late = vi.fn();
    const pending = withinTime(new Promise<string>((r) => (open = r)), 100, 'x', late).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await pending).toBeInstanceOf(TimeLimitError);
    open('stream');
    await Promise.resolve();
    expect(late).toHaveBeenCalledWith('stream');
  });
});

describe('stallLimit', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('expires only after limitMs without a touch', async () => {
    const limit = stallLimit(1_000, 'the models');
    let err: unknown = null;
    limit.expired.catch((e: unknown) => (err = e));
    await vi.advanceTimersByTimeAsync(900);
    limit.touch(); // progress: the clock starts again
    await vi.advanceTimersByTimeAsync(900);
    expect(err).toBeNull();
    await vi.advanceTimersByTimeAsync(100);
    expect(err).toBeInstanceOf(TimeLimitError);
    expect((err as TimeLimitError).what).toBe('the models');
  });

  it('never expires once stopped', async () => {
    const limit = stallLimit(1_000, 'x');
    let err: unknown = null;
    limit.expired.catch((e: unknown) => (err = e));
    limit.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(err).toBeNull();
  });
});
