/**
 * Recordings on local disk (the embedded default): `<root>/<sessionId>/<seq>.webm` for the
 * chunks and `<root>/<sessionId>/<name>.webm` for derived files.
 *
 * A chunk is written to a temporary file, fsynced, renamed into place, and the directory is
 * fsynced, so once putChunk resolves the chunk survives a kill -9 or a power cut; a crash
 * before that leaves at most a `*.tmp` file, which init() removes. Writes of one session are
 * serialised by the caller (RecordingService), so the exists-check and the rename do not race.
 *
 * Several centre nodes may share the folder (NFS, a mounted volume). A temporary file is named
 * after the node that writes it, so a node starting up removes its own leftovers at once but another node's
 * only once they are older than any write could take (STALE_TEMP_MS): it never pulls a file from under a
 * live node's rename. The rename itself is atomic on a local disk and on NFS, so a reader on any node sees
 * a whole chunk or none.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  DERIVED_NAME_PATTERN,
  SESSION_ID_PATTERN,
  type DerivedFile,
  type PutChunkResult,
  type RecordingStore,
  type StoredChunk,
} from './recording-store';

const CHUNK_FILE = /^(\d{1,15})\.webm$/;
const TEMP_SUFFIX = '.tmp';
/** A temporary file of another node older than this was left by a crash. */
export const STALE_TEMP_MS = 15 * 60_000;
const NODE_ID = /^[a-z0-9-]{1,40}$/;

const isMissing = (err: unknown) => (err as { code?: string }).code === 'ENOENT';

async function fsyncPath(p: string): Promise<void> {
  const handle = await open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class DiskRecordingStore implements RecordingStore {
  private readonly nodeId: string;

  /** nodeId: this node's name in a shared folder; one node needs none. */
  constructor(
    readonly root: string,
    options: { nodeId?: string; now?: () => number } = {},
  ) {
    this.nodeId = options.nodeId ?? 'local';
    if (!NODE_ID.test(this.nodeId)) throw new Error(`not a node id: ${this.nodeId}`);
    this.now = options.now ?? Date.now;
  }

  private readonly now: () => number;

  /** Whether init() may remove this temporary file: this node's own, or another's old enough to be a crash's. */
  private async isLeftover(dir: string, file: string): Promise<boolean> {
    const parts = file.split('.');
    // `<name>.webm.<node>.<random>.tmp`; a name from before nodes shared a folder has no node: one node's own.
    const node = parts.at(-4) === 'webm' ? parts.at(-3) : this.nodeId;
    if (node === this.nodeId) return true;
    const info = await stat(path.join(dir, file)).catch((err: unknown) => {
      if (isMissing(err)) return null;
      throw err;
    });
    return info !== null && this.now() - info.mtimeMs > STALE_TEMP_MS;
  }

  private sessionDir(sessionId: string): string {
    if (!SESSION_ID_PATTERN.test(sessionId)) throw new Error(`not a session id: ${sessionId}`);
    return path.join(this.root, sessionId);
  }

  private chunkPath(sessionId: string, seq: number): string {
    if (!Number.isSafeInteger(seq) || seq < 1) throw new Error(`not a chunk sequence number: ${seq}`);
    return path.join(this.sessionDir(sessionId), `${seq}.webm`);
  }

  private derivedPath(sessionId: string, name: string): string {
    if (!DERIVED_NAME_PATTERN.test(name) || CHUNK_FILE.test(name)) throw new Error(`not a derived file name: ${name}`);
    return path.join(this.sessionDir(sessionId), name);
  }

  async init(): Promise<number> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await chmod(this.root, 0o700); // Also a folder made by an earlier version
    let removed = 0;
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory() || !SESSION_ID_PATTERN.test(entry.name)) continue;
      const dir = path.join(this.root, entry.name);
      for (const file of await readdir(dir)) {
        if (!file.endsWith(TEMP_SUFFIX) || !(await this.isLeftover(dir, file))) continue;
        await unlink(path.join(dir, file)).catch((err: unknown) => {
          if (!isMissing(err)) throw err;
        });
        removed++;
      }
    }
    return removed;
  }

  /** Creates the session's folder durably (its entry in the root is fsynced too). */
  private async ensureSessionDir(sessionId: string): Promise<string> {
    const dir = this.sessionDir(sessionId);
    const created = await mkdir(dir, { recursive: true, mode: 0o700 }); // Recordings are owner-only
    if (created !== undefined) await fsyncPath(this.root);
    return dir;
  }

  /** Writes `produce`'s bytes to a temporary file, fsyncs it, renames it to `target` and fsyncs the folder. */
  private async writeAtomically(
    dir: string,
    target: string,
    produce: (write: (bytes: Uint8Array) => Promise<void>) => Promise<void>,
  ): Promise<number> {
    const temp = `${target}.${this.nodeId}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    const handle = await open(temp, 'wx', 0o600);
    let size = 0;
    try {
      await produce(async (bytes) => {
        let offset = 0;
        while (offset < bytes.byteLength) offset += (await handle.write(bytes, offset, bytes.byteLength - offset)).bytesWritten;
        size += bytes.byteLength;
      });
      await handle.sync();
    } catch (err) {
      await handle.close();
      // The temporary file may never have been written; the write's error is thrown below.
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    await handle.close();
    await rename(temp, target);
    await fsyncPath(dir);
    return size;
  }

  async putChunk(
    sessionId: string,
    seq: number,
    bytes: Uint8Array,
    sha256: string,
    options?: { replaceUnacknowledged?: boolean },
  ): Promise<PutChunkResult> {
    const target = this.chunkPath(sessionId, seq);
    const existing = await readFile(target).catch((err: unknown) => {
      if (isMissing(err)) return null;
      throw err;
    });
    if (existing && createHash('sha256').update(existing).digest('hex') === sha256) return 'duplicate';
    if (existing && !options?.replaceUnacknowledged) return 'conflict';
    const dir = await this.ensureSessionDir(sessionId);
    await this.writeAtomically(dir, target, (write) => write(bytes));
    return 'stored';
  }

  async readChunk(sessionId: string, seq: number): Promise<Uint8Array | null> {
    return readFile(this.chunkPath(sessionId, seq)).catch((err: unknown) => {
      if (isMissing(err)) return null;
      throw err;
    });
  }

  private async files(sessionId: string): Promise<string[]> {
    return readdir(this.sessionDir(sessionId)).catch((err: unknown) => {
      if (isMissing(err)) return [];
      throw err;
    });
  }

  async listChunks(sessionId: string): Promise<StoredChunk[]> {
    const dir = this.sessionDir(sessionId);
    const chunks: StoredChunk[] = [];
    for (const file of await this.files(sessionId)) {
      const match = CHUNK_FILE.exec(file);
      if (match) chunks.push({ seq: Number(match[1]), bytes: (await stat(path.join(dir, file))).size });
    }
    return chunks.sort((a, b) => a.seq - b.seq);
  }

  async totalBytes(sessionId: string): Promise<number> {
    return (await this.listChunks(sessionId)).reduce((sum, c) => sum + c.bytes, 0);
  }

  async writeDerived(
    sessionId: string,
    name: string,
    produce: (write: (bytes: Uint8Array) => Promise<void>) => Promise<void>,
  ): Promise<number> {
    const target = this.derivedPath(sessionId, name);
    return this.writeAtomically(await this.ensureSessionDir(sessionId), target, produce);
  }

  async statDerived(sessionId: string, name: string): Promise<DerivedFile | null> {
    const s = await stat(this.derivedPath(sessionId, name)).catch((err: unknown) => {
      if (isMissing(err)) return null;
      throw err;
    });
    return s ? { name, bytes: s.size, modifiedAt: s.mtimeMs } : null;
  }

  async listDerived(sessionId: string): Promise<DerivedFile[]> {
    const names = (await this.files(sessionId)).filter((f) => DERIVED_NAME_PATTERN.test(f) && !CHUNK_FILE.test(f));
    const found = await Promise.all(names.map((n) => this.statDerived(sessionId, n)));
    return found.filter((f): f is DerivedFile => f !== null);
  }

  readDerived(sessionId: string, name: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.derivedPath(sessionId, name), range ? { start: range.start, end: range.end } : {});
  }

  async deleteDerived(sessionId: string, name: string): Promise<void> {
    await unlink(this.derivedPath(sessionId, name)).catch((err: unknown) => {
      if (!isMissing(err)) throw err;
    });
  }
}
