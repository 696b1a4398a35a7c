/**
 * The centre's face models (rule 2.8.6): reference photos uploaded by staff and every
 * photo a candidate's browser sends (identity, re-checks, evidence) are decoded and analysed in
 * ONE worker thread (face-worker.ts), started on the first photo, never at start-up (most centre
 * runs never see one). Requests are queued in the worker and answered in order; the event loop
 * only posts bytes and receives small results, so a crafted or large image never stalls it.
 * A worker that dies fails its pending requests and is started afresh on the next one.
 */
import { Worker } from 'node:worker_threads';
import { PhotoDecodeError, type PhotoFaces } from './face-analysis';

export { fileModelHandler, folderModels, PhotoDecodeError, MAX_IMAGE_BYTES, type PhotoFaces } from './face-analysis';

export type FaceWorkerRequest =
  { id: number; kind: 'describe'; bytes: Uint8Array; yaw: boolean } | { id: number; kind: 'image'; bytes: Uint8Array };
export type FaceWorkerReply =
  | { id: number; ok: true; photo: Omit<PhotoFaces, 'descriptor'> & { descriptor: number[] | null } }
  | { id: number; ok: true; image: { width: number; height: number } }
  | { id: number; ok: false; code: 'invalid' | 'too_large' | 'internal'; message: string };

interface Pending {
  resolve(reply: FaceWorkerReply): void;
  reject(e: Error): void;
}

export class FaceModels {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `dir`: the verified model files (models/files), including tfjs-wasm/. */
  constructor(private readonly dir: string) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./face-worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./face-worker.ts', import.meta.url).href, modelsDir: this.dir },
    });
    worker.unref(); // an idle worker never keeps the process alive
    worker.on('message', (reply: FaceWorkerReply) => {
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      p?.resolve(reply);
    });
    const fail = (e: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the face worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private request(
    req: { kind: 'describe'; bytes: Uint8Array; yaw: boolean } | { kind: 'image'; bytes: Uint8Array },
  ): Promise<FaceWorkerReply> {
    const id = this.nextId++;
    const worker = this.start();
    return new Promise<FaceWorkerReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref(); // kept alive while it has work
      // A copy of the bytes goes to the worker (the caller may keep or store its own).
      worker.postMessage({ ...req, id, bytes: new Uint8Array(req.bytes) });
    }).then(
      (reply) => this.settled(reply),
      (e: unknown) => {
        this.settled(null);
        throw e;
      },
    );
  }

  private settled<T>(reply: T): T {
    if (this.pending.size === 0) this.worker?.unref();
    if (reply && typeof reply === 'object' && 'ok' in reply && reply.ok === false) {
      const r = reply as unknown as { code: string; message: string };
      if (r.code === 'internal') throw new Error(`face worker: ${r.message}`);
      throw new PhotoDecodeError(r.message, r.code as 'invalid' | 'too_large');
    }
    return reply;
  }

  /**
   * Faces in a JPEG, the descriptor of the one face (null when none or several), its yaw if asked. Throws PhotoDecodeError for a bad file.
   */
  async describePhoto(bytes: Uint8Array, options: { yaw?: boolean } = {}): Promise<PhotoFaces> {
    const reply = await this.request({ kind: 'describe', bytes, yaw: options.yaw === true });
    if (!reply.ok || !('photo' in reply)) throw new Error('face worker: unexpected reply');
    return { ...reply.photo, descriptor: reply.photo.descriptor ? Float32Array.from(reply.photo.descriptor) : null };
  }

  /** That the bytes are a JPEG within the caps that decodes in full; throws PhotoDecodeError otherwise. */
  async checkImage(bytes: Uint8Array): Promise<{ width: number; height: number }> {
    const reply = await this.request({ kind: 'image', bytes });
    if (!reply.ok || !('image' in reply)) throw new Error('face worker: unexpected reply');
    return reply.image;
  }

  /** Stops the worker (the centre's close()). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new Error('the centre is closing'));
    this.pending.clear();
    await w?.terminate();
  }
}
