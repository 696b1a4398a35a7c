/**
 * Lossless delivery from the candidate's browser: one durable outbox for events,
 * answers, recording chunks and evidence, drained per kind in order whenever the link is up,
 * with retries backing off while it is not. What a refusal means is decided here once:
 * 'invalid' (and 'conflict' where renumbering cannot help) drop and count the item, 'closed'
 * drops events and evidence (the centre takes none after the end, even ones recorded
 * before it) and stops answers and chunks (the exam ended; chunks drain for a while after it),
 * anything else (timeout, offline, internal) retries.
 */
import type { RecordedChunk } from '../devices/recorder';
import type { ClientEvent, ClientEventData, ClientEventType, RecordingChunk, SessionStatus } from '../shared/protocol';
import {
  RequestError,
  type CandidateCommand,
  type CandidateConnection,
  type CandidateResult,
  type RequestArgs,
} from './candidate-connection';
import { DurableOutbox, memoryStorage, openIndexedDbStorage, retryDelayMs, storageEstimate, type OutboxStatus } from './durable-outbox';
import { EventOutbox } from './event-outbox';
import { EvidenceUploads, sha256Hex, type EvidenceItem } from './evidence-uploads';
import { RecordingUploads } from './recording-uploads';
import { FINISHED_STATUSES } from '../shared/limits';

export interface QueuedAnswer {
  questionId: string;
  optionIds: string[];
  rev: number;
}

/** The browser's own record of what it produced (kept by the evaluation hook only). */
export type ProducedKind = 'event' | 'answer' | 'chunk';

export interface DeliveryHooks {
  connection(): CandidateConnection | null;
  examStatus(): SessionStatus | null;
  /** The candidate has consented to recording (Appendix 1): the centre takes chunks from then on. */
  consented(): boolean;
  /** The centre acknowledged this revision of an answer. */
  answerSaved(questionId: string, rev: number): void;
  /** The centre says the exam is closed: fetch its state. */
  closed(): void;
  /** The outbox changed (for the upload indicator). */
  status(status: OutboxStatus, quota: number | null): void;
  /** Called once an item is stored locally (evaluation only). */
  produced?(kind: ProducedKind, key: string): void;
}

/** More than this waiting is a backlog worth telling the proctor (a chunk or two in flight is normal). */
export const NOTABLE_BACKLOG = { items: 3, bytes: 1024 * 1024 };

export function backlogIsNotable(b: { items: number; bytes: number; storageFull: boolean }): boolean {
  return b.items > NOTABLE_BACKLOG.items || b.bytes > NOTABLE_BACKLOG.bytes || b.storageFull;
}

/** How often the backlog is reported to the proctor while something is waiting. */
export const BACKLOG_REPORT_MS = 15_000;

const ENDED = FINISHED_STATUSES;

const code = (err: unknown) => (err instanceof RequestError ? err.code : null);

export class Delivery {
  /** Recording chunks leave memory once stored: the backlog is bounded by the browser's storage quota, not its memory. */
  readonly box = new DurableOutbox(() => Date.now(), new Set(['chunk']));
  readonly events = new EventOutbox(() => Date.now(), this.box);
  readonly evidence = new EvidenceUploads(this.box);
  readonly chunks = new RecordingUploads(this.box);
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private quota: number | null = null;
  private lastReport: { items: number; bytes: number; dropped: number; storageFull: boolean } | null = null;
  private lastReportAt = 0;
  private reportTimer: ReturnType<typeof setInterval> | null = null;
  private opened: Promise<QueuedAnswer[]> | null = null;
  /** The longest 'too_many' hint since the last retry was scheduled (the centre's rate limits). */
  private throttledMs = 0;
  /** A submit is on its way: nothing new is logged by this module (the centre would refuse it after the end). */
  private ending = false;

  constructor(private readonly hooks: DeliveryHooks) {
    this.box.subscribe((s) => this.hooks.status(s, this.quota));
  }

  /**
   * Opens this session's local database (named after a hash of the exam token, so two exams in one
   * browser never mix) and takes back what an earlier page left; returns the answers still waiting.
   */
  open(token: string): Promise<QueuedAnswer[]> {
    this.opened ??= (async () => {
      const name = `tanu-outbox-${(await sha256Hex(new TextEncoder().encode(token))).slice(0, 24)}`;
      try {
        await this.box.attach(await openIndexedDbStorage(name));
      } catch (err) {
        console.warn('[tanu] no IndexedDB: the outbox is kept in memory only and a reload would lose it', err);
        await this.box.attach(memoryStorage());
      }
      const estimate = await storageEstimate();
      this.quota = estimate ? estimate.quota - estimate.usage : null;
      this.hooks.status(this.box.status(), this.quota);
      this.reportTimer ??= setInterval(() => {
        if (this.hooks.connection()?.connected && this.reportBacklog()) void this.flush();
      }, BACKLOG_REPORT_MS);
      return this.box.pending<QueuedAnswer>('answer').map((i) => i.payload);
    })();
    return this.opened;
  }

  logEvent<K extends ClientEventType>(type: K, data?: ClientEventData[K]): void {
    const { id, stored } = this.events.push(type, data);
    void stored.then(() => this.hooks.produced?.('event', id));
    void this.flush();
  }

  queueAnswer(answer: QueuedAnswer): void {
    const { stored } = this.box.add('answer', answer);
    void stored.then(() => this.hooks.produced?.('answer', `${answer.questionId}:${answer.rev}`));
    void this.flush();
  }

  queueEvidence(item: EvidenceItem): void {
    this.evidence.push(item);
    void this.flush();
  }

  async queueChunk(chunk: RecordedChunk): Promise<void> {
    const hashes = await this.chunks.add(chunk);
    for (const h of hashes) this.hooks.produced?.('chunk', h);
    void this.flush();
  }

  /** After (re)connecting: where the centre's recording stands, so chunk numbers continue after it. */
  async syncRecording(): Promise<void> {
    const c = this.hooks.connection();
    if (!c?.connected) return;
    const status = await c.request('recording:status');
    this.chunks.setNextSeq(status.nextSeq);
  }

  /** A request that remembers the centre's retry hint when it refuses for the rate; the item stays queued and is retried. */
  private send<K extends CandidateCommand>(c: CandidateConnection, command: K, ...args: RequestArgs<K>): Promise<CandidateResult<K>> {
    return c.request(command, ...args).catch((err: unknown) => {
      if (err instanceof RequestError && err.code === 'too_many') this.throttledMs = Math.max(this.throttledMs, err.retryAfterMs ?? 1_000);
      throw err;
    });
  }

  /** Sends everything waiting, each kind in its own lane (a long chunk backlog never holds up an answer). */
  async flush(): Promise<void> {
    const c = this.hooks.connection();
    if (!c?.connected || !this.box.isAttached) return;
    this.reportBacklog(); // what waits as the link returns, before it drains
    const status = this.hooks.examStatus();
    const started = status !== null && status !== 'issued';
    const recordingAccepted = started || this.hooks.consented();
    const finished = status !== null && ENDED.includes(status);
    const results = await Promise.all([
      this.drainEvents(c),
      // After the end the centre refuses answers ('closed'): they stay stored here, not resent on every flush.
      finished ? Promise.resolve(true) : this.drainAnswers(c),
      this.evidence.drain(
        (item) => this.send(c, 'evidence:upload', item),
        (err) => (code(err) === 'invalid' || code(err) === 'conflict' || code(err) === 'closed' ? 'drop' : 'retry'),
      ),
      // The centre takes chunks from consent on (identity and the room scan are recorded); before that they wait here.
      this.chunks.drain(
        (chunk: RecordingChunk) => this.send(c, 'recording:chunk', chunk),
        (err) => (code(err) === 'conflict' ? 'renumber' : code(err) === 'invalid' ? 'drop' : code(err) === 'closed' ? 'stop' : 'retry'),
        () => recordingAccepted,
      ),
    ]);
    // A lane that was busy returned at once and carries on by itself; anything still waiting otherwise is retried after a backoff.
    const waiting = this.box.status().items;
    if (waiting === 0) this.failures = 0;
    else if (c.connected && (recordingAccepted || results.slice(0, 3).some((done) => !done))) this.retryLater();
    // A report logged here (the backlog cleared, say) is sent by another pass: nothing else may come to send it after the exam.
    if (this.reportBacklog()) void this.flush();
  }

  // The centre takes no event or evidence after the exam's end, resent or not: 'closed' is final for them.
  private drainEvents(c: CandidateConnection): Promise<boolean> {
    return this.events.drain(
      (e: ClientEvent) => this.send(c, 'event:log', e),
      (err) => (code(err) === 'conflict' ? 'renumber' : code(err) === 'invalid' || code(err) === 'closed' ? 'drop' : 'retry'),
    );
  }

  /**
   * Before a submit: answers and events reach the centre first (after the end it takes neither), and
   * nothing new is logged here until `submitDone`. Events are small, so waiting for a drain already
   * running is short; `maxWaitMs` bounds it on a slow link (what is left is then refused and counted).
   */
  async settleBeforeSubmit(maxWaitMs = 5_000): Promise<void> {
    this.ending = true;
    const c = this.hooks.connection();
    if (!c?.connected || !this.box.isAttached) return;
    const deadline = Date.now() + maxWaitMs;
    await this.drainAnswers(c);
    while (Date.now() < deadline && c.connected) {
      if (await this.drainEvents(c)) return;
      if (!this.box.isDraining('event')) return; // refused for a retry: the submit goes on, the rest waits
      await new Promise((r) => setTimeout(r, 50)); // another pass is draining: wait for it
    }
  }

  /** The submit was answered (or failed): backlog reports are logged again if the exam goes on. */
  submitDone(): void {
    this.ending = false;
  }

  /** Answers only (before a submit): the rest may take longer and goes on after it. */
  async flushAnswers(): Promise<void> {
    const c = this.hooks.connection();
    if (!c?.connected || !this.box.isAttached) return;
    await this.drainAnswers(c);
  }

  private drainAnswers(c: CandidateConnection): Promise<boolean> {
    return this.box.drain<QueuedAnswer>(
      'answer',
      async (a) => {
        await this.send(c, 'answer:save', a);
        this.hooks.answerSaved(a.questionId, a.rev);
      },
      (err) => {
        if (code(err) === 'closed') {
          this.hooks.closed();
          return 'stop';
        }
        return code(err) === 'invalid' || code(err) === 'conflict' ? 'drop' : 'retry';
      },
    );
  }

  /** A lost ack while connected: try again after a backoff rather than waiting for a reconnect. */
  private retryLater(): void {
    if (this.retryTimer) return;
    // Refused for the rate: send again when the centre says, not after the outage backoff, which would
    // slow the drain of a long backlog to a crawl. Nothing is dropped either way.
    const hinted = this.throttledMs;
    this.throttledMs = 0;
    const delay = hinted > 0 ? Math.min(30_000, hinted) : retryDelayMs(++this.failures);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, delay);
  }

  /**
   * Tells the proctor what is waiting here (an 'upload.backlog' event, counted without events: they
   * are the report's own lane). A chunk or two in flight is the normal state of a recording exam and
   * is not reported; a backlog beyond that (after an outage, on a slow link) is reported when it is
   * first seen and then at most every BACKLOG_REPORT_MS, and once more when it has drained. Dropped
   * items and a full storage are reported whenever they change.
   */
  private reportBacklog(): boolean {
    if (!this.box.isAttached || this.ending) return false;
    const status = this.hooks.examStatus();
    if (status !== null && ENDED.includes(status)) return false; // the centre takes no event after the end
    const s = this.box.status();
    const data = {
      items: s.items - s.kinds.event.items,
      bytes: s.bytes,
      chunks: s.kinds.chunk.items,
      dropped: s.kinds.event.dropped + s.kinds.answer.dropped + s.kinds.chunk.dropped + s.kinds.evidence.dropped,
      storageFull: s.storageError !== null,
    };
    const notable = backlogIsNotable(data);
    const last = this.lastReport;
    const now = Date.now();
    const problemChanged = (last?.dropped ?? 0) !== data.dropped || (last?.storageFull ?? false) !== data.storageFull;
    const cleared = !notable && last !== null && backlogIsNotable(last);
    const due =
      notable &&
      (last === null || !backlogIsNotable(last) || now - this.lastReportAt >= BACKLOG_REPORT_MS) &&
      (last?.items !== data.items || last?.bytes !== data.bytes);
    if (!problemChanged && !cleared && !due) return false;
    this.lastReport = data;
    this.lastReportAt = now;
    if (data.storageFull)
      console.warn(
        `[tanu] local storage refused a write (${s.storageError}): waiting items are held in memory only, a reload would lose them`,
      );
    const { id, stored } = this.events.push('upload.backlog', data);
    void stored.then(() => this.hooks.produced?.('event', id));
    return true;
  }

  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.reportTimer) clearInterval(this.reportTimer);
  }
}
