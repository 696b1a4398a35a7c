/**
 * The exam recording at the centre (rules 2.8.5 and 14): the browser uploads MediaRecorder
 * chunks as they are produced; each is checked (size, hash, WebM header), written durably to
 * the RecordingStore, indexed in the Store, and only then acknowledged. Reviewers get the whole
 * recording as one seekable WebM, built from the chunks and cached next to them until more arrive.
 *
 * Uploads are accepted while the exam is in progress and for RECORDING_DRAIN_MS after it ended,
 * since the browser's backlog (chunks recorded while offline) drains after the last answer.
 * Chunks of one session are handled one at a time (a per-session queue), like incident reports.
 */
import { createHash } from 'node:crypto';
import { startsWithEbmlHeader, type RecordingChunk, type RecordingStatus } from '../shared/protocol';
import type { Clock } from './clock';
import { ExamError, type ExamService } from './exam-service';
import { children, ID, readHeader } from './recordings/ebml';
import type { RecordingStore } from './recordings/recording-store';
import { buildSeekable } from './recordings/webm-seekable';
import type { Logger } from './socket-command';
import type { ExamSessionRow, RecordingChunkRow, Store } from './store/store';
import { RECORDING_DRAIN_MS, seqError } from './write-bounds';

/** How long after the exam's end the browser may still upload its backlog (bounded). */
export { RECORDING_DRAIN_MS } from './write-bounds';
/** The live dashboard hears about a session's recording at most this often. */
export const RECORDING_PUBLISH_INTERVAL_MS = 3_000;
/** A player link (a <video> cannot send the staff bearer token) works this long, while its staff log-in lasts. */
export const RECORDING_LINK_TTL_MS = 6 * 3600_000;
const MAX_MISSING_LISTED = 100;

export interface RecordingListener {
  recordingChanged(sessionId: string): void;
}

/** A player link: the seekable file as it was when the link was made (later chunks make a new file, not a changed one). */
export interface RecordingLink {
  sessionId: string;
  name: string;
  staffTokenHash: string;
  expiresAt: number;
}

export interface SeekableFile {
  name: string;
  bytes: number;
  etag: string;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The EBML header of a first chunk says DocType "webm". */
function isWebmHeader(bytes: Uint8Array): boolean {
  const h = readHeader(bytes, 0);
  if (!h || h.id !== ID.EBML || h.size === null || h.headerLength + h.size > bytes.length) return false;
  for (const c of children(bytes, h.headerLength, h.headerLength + h.size)) {
    if (c.id === ID.DocType)
      return (
        Buffer.from(bytes.subarray(c.start + c.headerLength, c.end))
          .toString('latin1')
          .replace(/\0+$/, '') === 'webm'
      );
  }
  return false;
}

function missingSeqs(rows: readonly RecordingChunkRow[]): number[] {
  const missing: number[] = [];
  let expected = 1;
  for (const r of rows) {
    for (; expected < r.seq && missing.length < MAX_MISSING_LISTED; expected++) missing.push(expected);
    expected = r.seq + 1;
  }
  return missing;
}

export class RecordingService {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly builds = new Map<string, Promise<SeekableFile>>();
  private readonly published = new Map<string, { at: number; timer: NodeJS.Timeout | null }>();
  /** Player links by the hash of their token; in memory only (a restart ends them). */
  private readonly links = new Map<string, RecordingLink>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly exams: ExamService,
    private readonly recordings: RecordingStore | null,
    private readonly listener: RecordingListener,
    private readonly log: Logger,
    /** Refuses a chunk that would take the session past its storage quota (ProctoringService.checkQuota). */
    private readonly quota: (session: ExamSessionRow, bytes: number) => Promise<void> = async () => undefined,
  ) {}

  get enabled(): boolean {
    return this.recordings !== null;
  }

  private require(): RecordingStore {
    if (!this.recordings) throw new ExamError('closed', 'this centre does not keep recordings');
    return this.recordings;
  }

  /** Runs `task` after every earlier task of the same session. */
  private serial<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    const next = (this.queues.get(sessionId) ?? Promise.resolve()).then(task, task);
    // Only orders the work: each caller gets its own failure.
    const settled = next.catch(() => undefined);
    this.queues.set(sessionId, settled);
    void settled.then(() => {
      if (this.queues.get(sessionId) === settled) this.queues.delete(sessionId);
    });
    return next;
  }

  /**
   * Recording runs from the candidate's consent (Appendix 1) on, so the identity check and the
   * room scan (rule 2.8.3) are kept with the session; before consent nothing may be recorded.
   */
  private async checkAccepting(session: ExamSessionRow): Promise<void> {
    if (session.status === 'in_progress') return;
    if (session.status === 'issued') {
      if ((await this.store.getPrestart(session.id)).consent) return;
      throw new ExamError('conflict', 'the exam has not started and the candidate has not consented to recording: nothing to record yet');
    }
    if (session.startedAt === null) throw new ExamError('closed', 'this exam ended before it started: recording uploads are closed');
    if (this.clock.now() > (session.finishedAt ?? session.startedAt) + RECORDING_DRAIN_MS) {
      throw new ExamError('closed', 'the exam ended too long ago: recording uploads are closed');
    }
  }

  /** Stores one chunk durably, then acknowledges it; a resend of the same bytes is a duplicate. */
  async storeChunk(sessionId: string, chunk: RecordingChunk): Promise<{ seq: number; duplicate: boolean }> {
    const recordings = this.require();
    const actual = sha256(chunk.bytes);
    if (actual !== chunk.sha256) throw new ExamError('invalid', 'chunk hash does not match its bytes');
    const header = startsWithEbmlHeader(chunk.bytes);
    if (header && !isWebmHeader(chunk.bytes)) throw new ExamError('invalid', 'not a webm file: the EBML header does not say DocType webm');
    return this.serial(sessionId, async () => {
      const existing = await this.store.getRecordingChunk(sessionId, chunk.seq);
      if (existing) {
        if (existing.sha256 === actual) return { seq: chunk.seq, duplicate: true };
        throw new ExamError('conflict', `chunk ${chunk.seq} was already stored with other bytes`);
      }
      const session = await this.exams.session(sessionId);
      await this.checkAccepting(session);
      // Chunk numbers continue from the last stored one, and the session's storage is bounded.
      const rows = await this.store.listRecordingChunks(sessionId);
      const badSeq = seqError(chunk.seq, (rows[rows.length - 1]?.seq ?? 0) + 1);
      if (badSeq) throw new ExamError('invalid', badSeq);
      await this.quota(session, chunk.bytes.byteLength);
      // A file without an index row is a chunk whose upload a crash cut short before its ack: the same bytes are
      // fine, and other bytes replace it (it was never acknowledged, so the browser may have numbered anew).
      if ((await recordings.putChunk(sessionId, chunk.seq, chunk.bytes, actual)) === 'conflict') {
        this.log('warn', `recording ${sessionId}: chunk ${chunk.seq} replaces an unacknowledged file left by a crash`);
        await recordings.putChunk(sessionId, chunk.seq, chunk.bytes, actual, { replaceUnacknowledged: true });
      }
      const row: RecordingChunkRow = {
        seq: chunk.seq,
        bytes: chunk.bytes.byteLength,
        sha256: actual,
        durationMs: chunk.durationMs,
        startedAt: chunk.startedAt,
        storedAt: this.clock.now(),
        header,
      };
      const indexed = await this.store.putRecordingChunk(sessionId, row);
      if (indexed === 'conflict') throw new ExamError('conflict', `chunk ${chunk.seq} was already stored with other bytes`);
      this.changed(sessionId);
      return { seq: chunk.seq, duplicate: indexed === 'duplicate' };
    });
  }

  async status(sessionId: string): Promise<RecordingStatus> {
    const rows = await this.store.listRecordingChunks(sessionId);
    const lastSeq = rows[rows.length - 1]?.seq ?? 0;
    return { nextSeq: lastSeq + 1, chunks: rows.length, bytes: rows.reduce((n, r) => n + r.bytes, 0), lastSeq, missing: missingSeqs(rows) };
  }

  async chunkList(sessionId: string) {
    const rows = await this.store.listRecordingChunks(sessionId);
    const { nextSeq, bytes, lastSeq, missing } = await this.status(sessionId);
    return {
      chunks: rows.map((r) => ({
        seq: r.seq,
        bytes: r.bytes,
        sha256: r.sha256,
        durationMs: r.durationMs,
        startedAt: r.startedAt,
        storedAt: r.storedAt,
        header: r.header,
      })),
      bytes,
      lastSeq,
      nextSeq,
      missing,
    };
  }

  /** Pins the current seekable file to a new player link; null when there is nothing recorded. */
  async createLink(
    sessionId: string,
    tokenHash: string,
    staffTokenHash: string,
  ): Promise<{ file: SeekableFile; expiresAt: number } | null> {
    const file = await this.seekable(sessionId);
    if (!file) return null;
    const now = this.clock.now();
    for (const [key, link] of this.links) if (link.expiresAt <= now) this.links.delete(key);
    const expiresAt = now + RECORDING_LINK_TTL_MS;
    this.links.set(tokenHash, { sessionId, name: file.name, staffTokenHash, expiresAt });
    return { file, expiresAt };
  }

  link(tokenHash: string): RecordingLink | null {
    const link = this.links.get(tokenHash);
    return link && link.expiresAt > this.clock.now() ? link : null;
  }

  /** The seekable file of everything stored so far (built now if chunks arrived since the last one); null with no chunks. */
  async seekable(sessionId: string): Promise<SeekableFile | null> {
    const recordings = this.require();
    const rows = await this.store.listRecordingChunks(sessionId);
    if (rows.length === 0) return null;
    const fingerprint = createHash('sha256')
      .update(rows.map((r) => `${r.seq}:${r.sha256}`).join('\n'))
      .digest('hex')
      .slice(0, 24);
    const name = `seekable-${fingerprint}.webm`;
    const key = `${sessionId}/${name}`;
    const existing = await recordings.statDerived(sessionId, name);
    if (existing) return { name, bytes: existing.bytes, etag: `"${fingerprint}"` };
    let build = this.builds.get(key);
    if (!build) {
      // One build at a time per session: a build removes superseded files, never one another build just made.
      build = this.serial(`build:${sessionId}`, async () => {
        const done = await recordings.statDerived(sessionId, name);
        return done ? done.bytes : this.build(recordings, sessionId, rows, name);
      }).then((bytes) => ({ name, bytes, etag: `"${fingerprint}"` }));
      this.builds.set(key, build);
      // The build's own caller gets its failure; this only forgets it.
      void build.finally(() => this.builds.delete(key)).catch(() => undefined);
    }
    return build;
  }

  /** A seekable file by name, if it is still kept. */
  async seekableByName(sessionId: string, name: string): Promise<SeekableFile | null> {
    const found = await this.require().statDerived(sessionId, name);
    return found ? { name, bytes: found.bytes, etag: `"${name.slice('seekable-'.length, -'.webm'.length)}"` } : null;
  }

  readSeekable(sessionId: string, name: string, range?: { start: number; end: number }) {
    return this.require().readDerived(sessionId, name, range);
  }

  private async build(recordings: RecordingStore, sessionId: string, rows: RecordingChunkRow[], name: string): Promise<number> {
    const started = performance.now();
    const onDisk = new Map((await recordings.listChunks(sessionId)).map((c) => [c.seq, c.bytes]));
    const present = rows.filter((r) => onDisk.get(r.seq) === r.bytes);
    if (present.length < rows.length)
      this.log('error', `recording ${sessionId}: ${rows.length - present.length} indexed chunks are missing on disk`);
    let notes: string[] = [];
    const bytes = await recordings.writeDerived(sessionId, name, async (write) => {
      const result = await buildSeekable(present, (seq) => recordings.readChunk(sessionId, seq), write);
      notes = result.notes;
    });
    this.log(
      'info',
      `recording ${sessionId}: seekable file of ${present.length} chunks, ${bytes} bytes in ${Math.round(performance.now() - started)} ms`,
      notes.length ? notes : undefined,
    );
    // Superseded files go, unless a player link still points at one.
    const pinned = new Set(
      [...this.links.values()].filter((l) => l.sessionId === sessionId && l.expiresAt > this.clock.now()).map((l) => l.name),
    );
    for (const d of await recordings.listDerived(sessionId)) {
      if (d.name.startsWith('seekable-') && d.name !== name && !pinned.has(d.name)) await recordings.deleteDerived(sessionId, d.name);
    }
    return bytes;
  }

  /** Tells the live feed, at most once per RECORDING_PUBLISH_INTERVAL_MS per session (the last change always gets through). */
  private changed(sessionId: string): void {
    const state = this.published.get(sessionId) ?? { at: 0, timer: null };
    this.published.set(sessionId, state);
    if (state.timer) return;
    const wait = state.at + RECORDING_PUBLISH_INTERVAL_MS - Date.now();
    const publish = () => {
      state.timer = null;
      state.at = Date.now();
      this.listener.recordingChanged(sessionId);
    };
    if (wait <= 0) publish();
    else state.timer = setTimeout(publish, wait).unref();
  }

  close(): void {
    for (const state of this.published.values()) if (state.timer) clearTimeout(state.timer);
    this.published.clear();
  }
}
