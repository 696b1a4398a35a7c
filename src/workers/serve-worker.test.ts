import { describe, expect, it } from 'vitest';
import { serveWorker, type WorkerScope } from './serve-worker';

/** A worker scope the test drives: `send` delivers a message as the page would. */
function fakeScope(): WorkerScope<number, string> & { send(n: number): void } {
  const scope: WorkerScope<number, string> & { send(n: number): void } = {
    onmessage: null,
    postMessage: () => undefined,
    close: () => undefined,
    send: (n) => scope.onmessage?.({ data: n } as MessageEvent<number>),
  };
  return scope;
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('serveWorker', () => {
  it('in order: each message starts after the last one settled, even when it failed', async () => {
    const scope = fakeScope();
    const log: string[] = [];
    const failures: string[] = [];
    serveWorker(
      scope,
      async (n) => {
        log.push(`start ${n}`);
        await tick(n === 1 ? 30 : 1);
        if (n === 2) throw new Error('two failed');
        log.push(`end ${n}`);
      },
      { inOrder: true, onFailure: (e) => failures.push((e as Error).message) },
    );
    scope.send(1);
    scope.send(2);
    scope.send(3);
    await tick(80);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'start 3', 'end 3']);
    expect(failures).toEqual(['two failed']);
  });

  it('as they come by default; a handler that throws at once is reported, not lost', async () => {
    const scope = fakeScope();
    const log: string[] = [];
    const failures: unknown[] = [];
    serveWorker(
      scope,
      async (n) => {
        log.push(`start ${n}`);
        await tick(n === 1 ? 30 : 1);
        log.push(`end ${n}`);
      },
      { onFailure: (e) => failures.push(e) },
    );
    scope.send(1);
    scope.send(2);
    await tick(60);
    expect(log).toEqual(['start 1', 'start 2', 'end 2', 'end 1']);

    const sync = fakeScope();
    serveWorker(
      sync,
      () => {
        throw new Error('at once');
      },
      { onFailure: (e) => failures.push((e as Error).message) },
    );
    sync.send(7);
    await tick(1);
    expect(failures).toEqual(['at once']);
  });

  it('lets ignored messages go unhandled', async () => {
    const scope = fakeScope();
    const seen: number[] = [];
    const dropped: number[] = [];
    serveWorker(scope, (n) => void seen.push(n), {
      onFailure: () => undefined,
      ignore: (n) => (n > 2 ? (dropped.push(n), true) : false),
    });
    for (const n of [1, 2, 3, 4]) scope.send(n);
    await tick(1);
    expect(seen).toEqual([1, 2]);
    expect(dropped).toEqual([3, 4]);
  });
});
