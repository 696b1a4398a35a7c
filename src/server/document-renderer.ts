/**
 * The centre renders documents in a worker thread of its own (document-worker.ts), started
 * on the first document and left idle (unref'd) after, so issuing a document on the last signature
 * never holds the event loop that live exams share. A document whose input contradicts itself is a
 * DocumentInputError here as in the renderer; a worker that dies fails what it had and is started
 * afresh on the next document.
 */
import { Worker } from 'node:worker_threads';
import type { DocumentInputs, DocumentKind } from '../shared/documents';
import type { ExamLanguage } from '../shared/languages';
import { DocumentInputError } from './documents/checks';

export type DocumentWorkerRequest = { id: number; kind: DocumentKind; input: unknown; language: ExamLanguage };
export type DocumentWorkerReply = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; input: boolean; message: string };

export class DocumentWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(bytes: Uint8Array): void; reject(e: Error): void }>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./face-worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./document-worker.ts', import.meta.url).href },
    });
    worker.unref();
    worker.on('message', (reply: DocumentWorkerReply) => {
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (!p) return;
      if (reply.ok) p.resolve(reply.bytes);
      else p.reject(reply.input ? new DocumentInputError(reply.message) : new Error(`document worker: ${reply.message}`));
    });
    const fail = (e: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the document worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** The same contract as renderDocument (src/server/documents/render.ts), off the event loop. */
  render = <K extends DocumentKind>(kind: K, input: DocumentInputs[K], language: ExamLanguage): Promise<Uint8Array> => {
    const id = this.nextId++;
    const worker = this.start();
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref(); // kept alive while it has work
      worker.postMessage({ id, kind, input, language } satisfies DocumentWorkerRequest);
    });
  };

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new Error('the centre is closing'));
    this.pending.clear();
    await w?.terminate();
  }
}
