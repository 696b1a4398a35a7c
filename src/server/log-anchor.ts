/**
 * The anchor of the event log. The centre's log secret (never in the database) keys the
 * chain's HMAC; each session's head (index + hash) is appended, HMAC-signed, to an append-only
 * checkpoint file at the exam's end and every CHECKPOINT_EVERY entries and on a timer, so that a
 * deleted tail or a log re-grown after a cut is caught. Deleting the checkpoint file itself loses
 * that protection (the chain's HMAC remains): keep a copy off the machine with the backups.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../shared/canonical-json';
import type { EventType } from '../shared/protocol';
import { verifyChain, type Checkpoint, type LogVerdict } from './event-chain';
import type { EventRow, Store } from './store/store';

/** Entries after which a session's head is checkpointed even if nothing ends. */
export const CHECKPOINT_EVERY = 50;
/** Entries that end or suspend an exam: the head is checkpointed at once (rules 11, 13, 15). */
const ENDING: ReadonlySet<EventType> = new Set<EventType>(['exam.submitted', 'policy.terminated', 'policy.suspended']);

/**
 * TANU_LOG_SECRET (hex, at least 32 bytes) or `<dataDir>/log-secret` (32 random bytes made on the
 * first start, owner-only). Called by the composition root, never at import.
 */
export function loadLogSecret(dataDir: string, envSecret: string | undefined): Buffer {
  if (envSecret) {
    if (!/^([0-9a-fA-F]{2}){32,}$/.test(envSecret))
      throw new Error('invalid configuration:\n  TANU_LOG_SECRET: at least 64 hex digits (32 bytes)');
    return Buffer.from(envSecret, 'hex');
  }
  const file = path.join(dataDir, 'log-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  const key = readFileSync(file);
  if (key.length < 32) throw new Error(`${file}: the log secret is shorter than 32 bytes`);
  return key;
}

const lineMac = (key: Uint8Array, c: Checkpoint) =>
  createHmac('sha256', key).update('tanu-checkpoint\n').update(canonicalJson(c)).digest('hex');

export class LogAnchor {
  /** Per session: the newest head seen and the index of the newest checkpoint written (in memory). */
  private readonly heads = new Map<string, { index: number; hash: string; checkpointed: number }>();

  constructor(
    readonly key: Uint8Array,
    private readonly file: string,
    private readonly now: () => number,
  ) {}

  /** Appends one signed line and syncs it (a checkpoint that is not on disk anchors nothing). */
  checkpoint(c: Omit<Checkpoint, 'at'>): void {
    this.append([c]);
  }

  /**
   * Appends signed lines with one write and one fsync. Batched because the sweep checkpoints every
   * busy session at once: one fsync each held the event loop for about 0.7 s with 300 candidates.
   */
  private append(checkpoints: readonly Omit<Checkpoint, 'at'>[]): void {
    if (checkpoints.length === 0) return;
    const at = this.now();
    const text = checkpoints
      .map((c) => {
        const line: Checkpoint = { ...c, at };
        return `${JSON.stringify({ ...line, mac: lineMac(this.key, line) })}\n`;
      })
      .join('');
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    for (const c of checkpoints) {
      const head = this.heads.get(c.sessionId);
      if (head) head.checkpointed = Math.max(head.checkpointed, c.index);
    }
  }

  /** The session's checkpoints whose signature holds, and how many lines of the file did not verify. */
  checkpoints(sessionId: string): { valid: Checkpoint[]; bad: number } {
    if (!existsSync(this.file)) return { valid: [], bad: 0 };
    const valid: Checkpoint[] = [];
    let bad = 0;
    for (const text of readFileSync(this.file, 'utf8').split('\n')) {
      if (!text.trim()) continue;
      try {
        const { mac, ...c } = JSON.parse(text) as Checkpoint & { mac: string };
        const expected = Buffer.from(lineMac(this.key, c), 'hex');
        const given = Buffer.from(String(mac), 'hex');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) bad++;
        else if (c.sessionId === sessionId) valid.push(c);
      } catch {
        bad++;
      }
    }
    return { valid, bad };
  }

  /** Called for every committed entry: checkpoints the head at an exam's end and every CHECKPOINT_EVERY entries. */
  observe(e: EventRow): void {
    const head = this.heads.get(e.sessionId) ?? { index: -1, hash: '', checkpointed: -1 };
    if (e.index > head.index) Object.assign(head, { index: e.index, hash: e.hash });
    this.heads.set(e.sessionId, head);
    if (ENDING.has(e.type) || head.index - head.checkpointed >= CHECKPOINT_EVERY)
      this.checkpoint({ sessionId: e.sessionId, index: head.index, hash: head.hash });
  }

  /** The timer: every head that moved since its last checkpoint is checkpointed. */
  flush(): number {
    const due: Omit<Checkpoint, 'at'>[] = [];
    for (const [sessionId, head] of this.heads)
      if (head.index > head.checkpointed) due.push({ sessionId, index: head.index, hash: head.hash });
    this.append(due);
    // idle sessions cost no memory
    for (const [sessionId, head] of this.heads) if (head.index === head.checkpointed) this.heads.delete(sessionId);
    return due.length;
  }

  /**
   * On start: entries hashed before the centre had a secret (version 1) are anchored once, as they
   * stand now, so a later rewrite of them is caught. Returns how many sessions were anchored.
   */
  async anchorLegacy(store: Store): Promise<number> {
    let n = 0;
    for (const head of await store.legacyChainHeads()) {
      if (this.checkpoints(head.sessionId).valid.some((c) => c.legacy && c.index >= head.index)) continue;
      this.checkpoint({ ...head, legacy: true });
      n++;
    }
    return n;
  }

  /** Verifies a session's log against the key and its checkpoints. */
  verify(events: readonly EventRow[], sessionId: string): LogVerdict & { badCheckpointLines: number } {
    const { valid, bad } = this.checkpoints(sessionId);
    return { ...verifyChain(events, this.key, valid), badCheckpointLines: bad };
  }
}

/** Where the checkpoint file lives: beside the database, not in it. */
export const checkpointFile = (dataDir: string) => path.join(dataDir, 'log-checkpoints.jsonl');
