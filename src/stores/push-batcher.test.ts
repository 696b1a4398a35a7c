import { describe, expect, it } from 'vitest';
import { createPushBatcher } from './push-batcher';

function manualTimers() {
  const due: Array<{ fn: () => void; cleared: boolean }> = [];
  return {
    due,
    timers: {
      set: (fn: () => void) => {
        const t = { fn, cleared: false };
        due.push(t);
        return t;
      },
      clear: (h: unknown) => void ((h as { cleared: boolean }).cleared = true),
    },
    fire: () => due.filter((t) => !t.cleared).forEach((t) => ((t.cleared = true), t.fn())),
  };
}

describe('push batcher', () => {
  it('holds pushes until the timer fires, then applies them all in arrival order across kinds', () => {
    const clock = manualTimers();
    const b = createPushBatcher({ intervalMs: 100, timers: clock.timers });
    const seen: string[] = [];
    const session = b.wrap((id: string) => seen.push(`session ${id}`));
    const event = b.wrap((n: number) => seen.push(`event ${n}`));
    session('a');
    event(1);
    session('b');
    expect(seen).toEqual([]);
    expect(b.pending).toBe(3);
    expect(clock.due.length).toBe(1); // one timer for the whole batch
    clock.fire();
    expect(seen).toEqual(['session a', 'event 1', 'session b']);
    expect(b.pending).toBe(0);
    event(2);
    expect(clock.due.length).toBe(2); // a new batch, a new timer
    clock.fire();
    expect(seen.at(-1)).toBe('event 2');
  });

  it('flush applies at once and cancels the timer; dispose drops what is held', () => {
    const clock = manualTimers();
    const b = createPushBatcher({ intervalMs: 100, timers: clock.timers });
    const seen: number[] = [];
    const push = b.wrap((n: number) => seen.push(n));
    push(1);
    b.flush();
    expect(seen).toEqual([1]);
    expect(clock.due[0]!.cleared).toBe(true);
    push(2);
    b.dispose();
    clock.fire();
    expect(seen).toEqual([1]);
    expect(b.pending).toBe(0);
  });

  it('a timed flush stops after its slice and applies the rest on the next turns, in order; flush() applies all', () => {
    const clock = manualTimers();
    let t = 0;
    const b = createPushBatcher({ intervalMs: 100, sliceMs: 10, timers: clock.timers, now: () => t });
    const seen: number[] = [];
    const push = b.wrap((n: number) => {
      seen.push(n);
      t += 4; // each push costs 4 ms
    });
    for (let n = 1; n <= 7; n++) push(n);
    clock.fire(); // 4, 8, 12 ms: the third crosses the 10 ms slice
    expect(seen).toEqual([1, 2, 3]);
    expect(b.pending).toBe(4);
    push(8); // arrives between slices: after what was already waiting
    clock.fire();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    clock.fire();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(b.pending).toBe(0);
    for (let n = 9; n <= 20; n++) push(n);
    b.flush();
    expect(seen.length).toBe(20);
    expect(clock.due.every((d) => d.cleared)).toBe(true);
  });

  it('each slice runs inside `around` (one store update per slice)', () => {
    const clock = manualTimers();
    let t = 0;
    const slices: number[][] = [];
    let open: number[] | null = null;
    const b = createPushBatcher({
      intervalMs: 100,
      sliceMs: 10,
      timers: clock.timers,
      now: () => t,
      around: (run) => {
        open = [];
        run();
        slices.push(open);
        open = null;
      },
    });
    const push = b.wrap((n: number) => {
      open!.push(n);
      t += 4;
    });
    for (let n = 1; n <= 5; n++) push(n);
    clock.fire();
    clock.fire();
    expect(slices).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });
});
