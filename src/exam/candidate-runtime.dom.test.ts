/**
 * The candidate's composition root with its real parts (engine, outbox, lanes, step modules) on
 * fake devices and a fake link: what it does when built, connected, answered and when a device goes.
 * The outbox runs in memory here (happy-dom has no IndexedDB; the browser tests cover IndexedDB).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceListener } from '../devices/device-listeners';
import type { CandidateConnection, ConnectionHandlers } from '../session/candidate-connection';
import type { ExamSnapshot } from '../shared/protocol';
import { examStore, initialExamState } from '../stores/exam-store';
import { languageStore } from '../ui/i18n/i18n';
import { createCandidateRuntime, type CandidateRuntime } from './candidate-runtime';
import type { CandidateDevices, CandidateInstrumentation } from './runtime-parts';
import { TEST_QUESTIONS, testSnapshot } from './test-snapshot';

/** A link to the centre that answers each command with what the test set, and records every request. */
class FakeLink {
  readonly requests: Array<{ command: string; payload: unknown }> = [];
  readonly listeners = new Map<string, (data: unknown) => void>();
  connected = true;
  closed = false;
  constructor(
    readonly token: string,
    readonly handlers: ConnectionHandlers,
    private readonly answers: Record<string, (payload: unknown) => unknown>,
  ) {}
  request(command: string, payload?: unknown): Promise<unknown> {
    this.requests.push({ command, payload });
    const answer = this.answers[command];
    return Promise.resolve(answer ? answer(payload) : {});
  }
  volatile(): boolean {
    return true;
  }
  on(event: string, listener: (data: unknown) => void): void {
    this.listeners.set(event, listener);
  }
  close(): void {
    this.closed = true;
  }
  sent(command: string): unknown[] {
    return this.requests.filter((r) => r.command === command).map((r) => r.payload);
  }
}

/** A device that records being started and lets the test end its track. */
function fakeDevice() {
  const listeners = new Set<DeviceListener>();
  return {
    started: 0,
    mediaStream: null,
    label: 'Fake camera',
    start() {
      this.started++;
      return Promise.reject(new Error('no device in this test'));
    },
    stop() {},
    level: () => -60,
    subscribe(listener: DeviceListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listeners,
  };
}

function build(answers: Record<string, (payload: unknown) => unknown> = {}, instrumentation?: CandidateInstrumentation) {
  const camera = fakeDevice();
  const microphone = fakeDevice();
  const links: FakeLink[] = [];
  const screen = { watch: vi.fn(), unwatch: vi.fn(), enterFullscreen: vi.fn(), exitFullscreen: vi.fn(() => Promise.resolve()) };
  const devices = {
    camera,
    microphone,
    screen,
    recorder: { recording: false, start: vi.fn(), stop: vi.fn() },
    environment: { watch: vi.fn(), unwatch: vi.fn() },
  } as unknown as CandidateDevices;
  const storage = new Map<string, string>();
  const runtime = createCandidateRuntime({
    devices,
    connection: (token, handlers) => {
      const link = new FakeLink(token, handlers, answers);
      links.push(link);
      return link as unknown as CandidateConnection;
    },
    storage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
      removeItem: (k: string) => void storage.delete(k),
    } as Storage,
    clock: Date.now,
    ...(instrumentation ? { instrumentation } : {}),
  });
  built.push(runtime);
  return { runtime, camera, microphone, links, screen, storage };
}
const built: CandidateRuntime[] = [];
beforeEach(() => {
  // The outbox says once per runtime that it keeps to memory (there is no IndexedDB here): expected, not shown.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const runtime of built.splice(0)) runtime.dispose();
  examStore.setState({ ...initialExamState }, true);
});

const until = (check: () => boolean) => vi.waitFor(() => expect(check()).toBe(true), { timeout: 3_000, interval: 10 });

describe('createCandidateRuntime (the candidate page’s composition root)', () => {
  it('building it starts nothing: no link, no device, nothing on window; it listens to the devices until disposed', () => {
    const { runtime, camera, microphone, links } = build();
    expect(links).toEqual([]);
    expect(camera.started + microphone.started).toBe(0);
    expect('tanuEval' in window).toBe(false);
    expect(camera.listeners.size).toBe(1);
    expect(microphone.listeners.size).toBe(1);
    runtime.dispose();
    expect(camera.listeners.size + microphone.listeners.size).toBe(0);
  });

  it('connects with the token, resumes on connecting, and applies what the centre answered (its language too)', async () => {
    const snapshot: ExamSnapshot = testSnapshot({ language: 'ru', questions: TEST_QUESTIONS, nextSeq: 7 });
    const { runtime, links } = build({ 'exam:resume': () => snapshot });
    runtime.connect('token-1');
    expect(links.map((l) => l.token)).toEqual(['token-1']);
    links[0]!.handlers.connected();
    await until(() => examStore.getState().snapshot !== null);
    expect(examStore.getState().snapshot?.sessionId).toBe('s1');
    expect(languageStore.getState().language).toBe('ru');
    // A second connect closes the first link.
    runtime.connect('token-1');
    expect(links[0]!.closed).toBe(true);
  });

  it('an answer is pending at once, goes through the outbox, and is saved when the centre takes it', async () => {
    const { runtime, links } = build({ 'exam:resume': () => testSnapshot({ status: 'issued', questions: TEST_QUESTIONS }) });
    runtime.connect('token-2');
    links[0]!.handlers.connected();
    await until(() => examStore.getState().snapshot !== null);
    runtime.chooseOptions('q1', ['a']);
    expect(examStore.getState().answers.q1).toMatchObject({ optionIds: ['a'], state: 'pending' });
    await until(() => examStore.getState().answers.q1?.state === 'saved');
    expect(links[0]!.sent('answer:save')).toEqual([expect.objectContaining({ questionId: 'q1', optionIds: ['a'] })]);
  });

  it('a camera that goes away: the page says so and the centre is told (device.camera lost)', async () => {
    const { runtime, camera, links } = build({ 'exam:resume': () => testSnapshot({ status: 'issued' }) });
    runtime.connect('token-3');
    links[0]!.handlers.connected();
    await until(() => examStore.getState().snapshot !== null);
    for (const listener of camera.listeners) listener('lost');
    expect(examStore.getState().camera).toBe('lost');
    await until(() =>
      links[0]!.sent('event:log').some((e) => {
        const event = e as { type: string; data?: { state?: string } };
        return event.type === 'device.camera' && event.data?.state === 'lost';
      }),
    );
  });

  it('a device that cannot start is shown as failed, with why, and logged; the models never start', async () => {
    const { runtime, camera } = build();
    await runtime.enableDevices();
    expect(camera.started).toBe(1);
    expect(examStore.getState()).toMatchObject({ camera: 'failed', microphone: 'failed', deviceFailure: { kind: 'failed' } });
    expect(examStore.getState().proctoring.phase).toBe('idle');
  });

  it('the token moves from the link to the tab’s storage and leaves the address bar', () => {
    const { runtime, storage } = build();
    history.replaceState(null, '', '/exam#t=abcdefghijklmnopqrstuvwxyz012345');
    const link = runtime.takeToken();
    expect(link).toMatchObject({ kind: 'token', token: 'abcdefghijklmnopqrstuvwxyz012345' });
    expect(storage.get('tanu.examToken')).toBe('abcdefghijklmnopqrstuvwxyz012345');
    expect(window.location.hash).toBe('');
    expect(runtime.takeToken()).toMatchObject({ kind: 'token', token: 'abcdefghijklmnopqrstuvwxyz012345' });
  });

  it('an instrumentation gets the engine, the outbox and the devices, and hears of every answer stored', async () => {
    const produced: string[] = [];
    const attach = vi.fn();
    const { runtime, links } = build(
      { 'exam:resume': () => testSnapshot({ questions: TEST_QUESTIONS }) },
      { attach, produced: (kind, key) => produced.push(`${kind}:${key}`) },
    );
    expect(attach).toHaveBeenCalledTimes(1);
    expect(Object.keys(attach.mock.calls[0]![0] as object).sort()).toEqual(['delivery', 'devices', 'engine']);
    runtime.connect('token-4');
    links[0]!.handlers.connected();
    await until(() => examStore.getState().snapshot !== null);
    runtime.chooseOptions('q2', ['a', 'c']);
    await until(() => produced.some((p) => p.startsWith('answer:q2:')));
  });

  it('the identity re-check during the exam sends the frame’s photo to the centre and returns its verdict', async () => {
    const { runtime, links } = build({ 'identity:check': () => ({ matched: true }) });
    runtime.connect('token-5');
    await expect(runtime.identity.checkIdentity(new Uint8Array([0xff, 0xd8]))).resolves.toEqual({ matched: true });
    expect(links[0]!.sent('identity:check')).toEqual([{ jpeg: new Uint8Array([0xff, 0xd8]) }]);
  });
});
