/**
 * The documents' worker thread (started by DocumentWorker in document-renderer.ts). Rendering
 * a PDF with its fonts embedded and subset takes 0.2-1 s of CPU; run here, it never holds the centre's
 * event loop (live exams, answers, the proctors' feed). One request at a time, in arrival order.
 * Loaded through face-worker-boot.mjs (which registers tsx so this TypeScript file runs as is).
 */
import { parentPort } from 'node:worker_threads';
import { DocumentInputError } from './documents/checks';
import { renderDocument } from './documents/render';
import type { DocumentWorkerReply, DocumentWorkerRequest } from './document-renderer';

const port = parentPort;
if (!port) throw new Error('document-worker.ts runs as a worker thread');
let queue: Promise<void> = Promise.resolve();

async function handle(req: DocumentWorkerRequest): Promise<DocumentWorkerReply> {
  try {
    return { id: req.id, ok: true, bytes: await renderDocument(req.kind, req.input as never, req.language) };
  } catch (e) {
    return { id: req.id, ok: false, input: e instanceof DocumentInputError, message: e instanceof Error ? e.message : String(e) };
  }
}

port.on('message', (req: DocumentWorkerRequest) => {
  queue = queue.then(async () => {
    const reply = await handle(req);
    port.postMessage(reply, reply.ok ? [reply.bytes.buffer as ArrayBuffer] : []);
  });
});
