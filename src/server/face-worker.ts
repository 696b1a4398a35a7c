/**
 * The centre's face worker (worker_threads; started by FaceModels in face-models.ts): decodes
 * photos and runs the face models off the server's event loop, one request at a time in arrival
 * order, so a photo being analysed never stalls other candidates' sockets or /api/health.
 * Loaded through face-worker-boot.mjs (which registers tsx so this TypeScript file runs as is).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FaceAnalyser, PhotoDecodeError } from './face-analysis';
import type { FaceWorkerReply, FaceWorkerRequest } from './face-models';

const port = parentPort;
if (!port) throw new Error('face-worker.ts runs as a worker thread');
const analyser = new FaceAnalyser((workerData as { modelsDir: string }).modelsDir);
let queue: Promise<void> = Promise.resolve();

async function handle(req: FaceWorkerRequest): Promise<FaceWorkerReply> {
  try {
    if (req.kind === 'image') return { id: req.id, ok: true, image: analyser.checkImage(req.bytes) };
    const p = await analyser.describePhoto(req.bytes, { yaw: req.yaw });
    return { id: req.id, ok: true, photo: { ...p, descriptor: p.descriptor ? Array.from(p.descriptor) : null } };
  } catch (e) {
    if (e instanceof PhotoDecodeError) return { id: req.id, ok: false, code: e.code, message: e.message };
    return { id: req.id, ok: false, code: 'internal', message: e instanceof Error ? e.message : String(e) };
  }
}

port.on('message', (req: FaceWorkerRequest) => {
  queue = queue.then(async () => port.postMessage(await handle(req)));
});
