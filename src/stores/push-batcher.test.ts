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
    const b = createPushBatcher(100, clock.timers);
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
    const b = createPushBatcher(100, clock.timers);
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
});
