/**
 * Where the bytes of exam recordings live (DESIGN §1: recordings on disk or in S3-compatible
 * object storage). The chunks a browser uploads are immutable and keyed by (session, seq);
 * derived files (the seekable WebM made from them) are kept next to them and can be rebuilt.
 *
 * The index of which chunks a session has, and so what was acknowledged, is the Store's
 * `recording_chunks` table: a chunk counts once its row is committed, and the row is inserted
 * only after `putChunk` returned, i.e. once the bytes are durable here.
 */
import type { Readable } from 'node:stream';

export type PutChunkResult = 'stored' | 'duplicate' | 'conflict';

export interface StoredChunk {
  seq: number;
  bytes: number;
}

export interface DerivedFile {
  name: string;
  bytes: number;
  /** Last modification, ms since epoch. */
  modifiedAt: number;
}

export interface RecordingStore {
  /** Prepares the store and clears what a crash left half-written. Returns how many torn files it removed. */
  init(): Promise<number>;

  /**
   * Keeps a chunk durably (on disk: written, fsynced and renamed into place before this resolves).
   * The same bytes again are a duplicate; other bytes under a used seq a conflict (nothing is changed),
   * unless `replaceUnacknowledged`: the caller knows the stored chunk was never indexed, i.e. never acknowledged.
   */
  putChunk(
    sessionId: string,
    seq: number,
    bytes: Uint8Array,
    sha256: string,
    options?: { replaceUnacknowledged?: boolean },
  ): Promise<PutChunkResult>;
  readChunk(sessionId: string, seq: number): Promise<Uint8Array | null>;
  /** The chunks present, by ascending seq. */
  listChunks(sessionId: string): Promise<StoredChunk[]>;
  totalBytes(sessionId: string): Promise<number>;

  /** Writes a derived file atomically from the pieces `produce` passes to `write`; returns its size. */
  writeDerived(sessionId: string, name: string, produce: (write: (bytes: Uint8Array) => Promise<void>) => Promise<void>): Promise<number>;
  statDerived(sessionId: string, name: string): Promise<DerivedFile | null>;
  listDerived(sessionId: string): Promise<DerivedFile[]>;
  /** Bytes [start, end] (inclusive, as in HTTP ranges) of a derived file. */
  readDerived(sessionId: string, name: string, range?: { start: number; end: number }): Readable;
  deleteDerived(sessionId: string, name: string): Promise<void>;
}

/** Session ids are UUIDs and derived names simple file names: nothing can reach outside the store. */
export const SESSION_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const DERIVED_NAME_PATTERN = /^[a-z][a-z0-9-]{0,80}\.webm$/;
