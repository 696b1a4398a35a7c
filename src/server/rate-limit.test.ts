import { describe, expect, it } from 'vitest';
import { commandFamily, ConcurrencyGate, KeyedBuckets, TokenBucket } from './rate-limit';

describe('TokenBucket', () => {
  it('allows the burst, then the sustained rate, and says how long to wait', () => {
    const b = new TokenBucket({ perSecond: 10, burst: 3 }, 0);
    expect([b.take(0), b.take(0), b.take(0)]).toEqual([0, 0, 0]);
    expect(b.take(0)).toBe(100); // one token every 100 ms
    expect(b.take(100)).toBe(0);
    expect(b.take(150)).toBe(50);
    expect(b.isFull(1000)).toBe(true);
  });
});

describe('KeyedBuckets', () => {
  it('keeps keys apart and forgets full buckets', () => {
    const k = new KeyedBuckets(() => ({ perSecond: 1, burst: 1 }));
    expect(k.take('s1|events', 0)).toBe(0);
    expect(k.take('s1|events', 0)).toBeGreaterThan(0);
    expect(k.take('s2|events', 0)).toBe(0);
    k.prune(5_000);
    expect(k.size).toBe(0);
  });
});

describe('commandFamily', () => {
  it('groups commands; thumbnails are not counted', () => {
    expect(commandFamily('event:log')).toBe('events');
    expect(commandFamily('recording:chunk')).toBe('chunks');
    expect(commandFamily('exam:consent')).toBe('other');
    expect(commandFamily('thumb:frame')).toBeNull();
  });
});

describe('ConcurrencyGate', () => {
  it('runs at most `concurrency` at once, queues up to the cap and refuses beyond it', async () => {
    const gate = new ConcurrencyGate(2, 1);
    let running = 0;
    let peak = 0;
    const release: Array<() => void> = [];
    const task = () =>
      new Promise<number>((resolve) => {
        peak = Math.max(peak, ++running);
        release.push(() => {
          running--;
          resolve(1);
        });
      });
    const runs = [gate.run(task), gate.run(task), gate.run(task)];
    expect(await gate.run(task)).toBeNull(); // two running, one waiting: the fourth is refused
    expect(gate.busy).toEqual({ running: 2, waiting: 1 });
    while (release.length > 0 || gate.busy.running > 0) {
      release.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(await Promise.all(runs)).toEqual([{ value: 1 }, { value: 1 }, { value: 1 }]);
    expect(peak).toBe(2);
  });
});
