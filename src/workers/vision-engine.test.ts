/**
 * The vision worker's pipeline (VisionEngine) in Node on real frames, tfjs wasm: the schedule
 * (one heavy model per frame at most), the face count under it on every labelled clip and on a
 * second person further back, pose and objects in the side worker (its handler in-process),
 * timings, tensor leaks, and one model failing without taking the others down. Prints the per-model milliseconds of a 15 fps run.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSource } from '../detectors/tf-backend';
import { PoseDetector } from '../detectors/pose-detector';
import type { FaceSignal, Keypoint } from '../proctoring/signals';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import { fixtureTensor, fixtureWithInset, initNodeTf, median, nodeModels, type Inset } from '../testing/node-models';
import { mergeFaceCounts, VisionEngine, type FrameAnalysis } from './vision-engine';
import { SideWorker, sideWorkerHandler } from './vision-side';
import type { FromSideWorker, ToSideWorker, VisionConfig, VisionFrameMs, VisionModel } from './vision-protocol';

const config: VisionConfig = {
  analysisFps: 15,
  face: { minScore: 0.6 },
  body: { ...DEFAULT_PROCTORING.body, everyNthFrame: 3 },
  objects: { intervalSec: 1.5, minScore: 0.4, allow: [] },
};

const FPS = 15;
const HEAVY = ['facesFull', 'pose', 'objects'] as const;
const msOf = (f: FrameAnalysis) => f.signals.ms as VisionFrameMs;
const heavyOn = (f: FrameAnalysis) => HEAVY.filter((k) => msOf(f)[k] !== undefined);

/** The "clock" of the frames: it only goes forward, with a gap between runs (as between clips of a real feed). */
let clock = 1_700_000_000_000;

/** Runs `seconds` of a clip from `fromSec` at 15 fps through the engine; `frameAt` builds other frames (e.g. with an inset). */
async function run(
  engine: VisionEngine,
  file: string,
  fromSec: number,
  seconds: number,
  frameAt = (sec: number) => fixtureTensor(file, sec),
): Promise<FrameAnalysis[]> {
  const out: FrameAnalysis[] = [];
  const t0 = clock;
  for (let i = 0; i < Math.round(seconds * FPS); i++) {
    const sec = fromSec + i / FPS;
    const frame = frameAt(sec);
    try {
      out.push(await engine.analyse(frame, t0 + Math.round((i * 1000) / FPS)));
    } finally {
      frame.dispose();
    }
  }
  clock = t0 + Math.round(seconds * 1000) + 10_000;
  return out;
}

const counts = (frames: FrameAnalysis[]) => frames.map((f) => f.signals.faces.length).join('');

/** A second person standing behind the candidate: the scenario's face at a quarter size, top centre (face ~0.1 of the frame width). */
const BEHIND: Inset = { file: 'scenario.mjpeg', sec: 50, scale: 0.25, x: 0.5, y: 0 };

/** The side worker's handler, in-process: messages cross as between workers, answers come asynchronously. */
function inProcessSideWorker(modelSource: ModelSource = nodeModels) {
  let onmessage: ((event: MessageEvent<FromSideWorker>) => void) | null = null;
  const sent: Array<ToSideWorker['type']> = [];
  const handle = sideWorkerHandler({
    post: (msg) => setTimeout(() => onmessage?.({ data: msg } as MessageEvent<FromSideWorker>), 0),
    initBackend: async () => undefined, // tfjs is already up in this realm
    models: () => modelSource,
  });
  return {
    sent,
    get onmessage() {
      return onmessage;
    },
    set onmessage(fn) {
      onmessage = fn;
    },
    onerror: null,
    postMessage(msg: ToSideWorker) {
      sent.push(msg.type);
      setTimeout(() => handle(msg), 0);
    },
    terminate() {},
  };
}

const sideInit = { modelBase: '/models/', wasmBase: '/wasm/', objects: config.objects };

let engine: VisionEngine;
const progress: Array<[number, number, VisionModel]> = [];
let msToReady = 0;

beforeAll(async () => {
  await initNodeTf();
  const started = performance.now();
  engine = await VisionEngine.create(
    nodeModels,
    config,
    {},
    { onProgress: (loaded, total, model) => progress.push([loaded, total, model]) },
  );
  msToReady = performance.now() - started;
}, 120_000);

afterAll(() => engine?.dispose());

describe('mergeFaceCounts', () => {
  const face = (x: number, score = 0.9): FaceSignal => ({ score, box: { x, y: 0.2, w: 0.2, h: 0.3 } });

  it('keeps the short-range faces when the full-range run found no more', () => {
    expect(mergeFaceCounts([face(0.1)], [face(0.12)])).toEqual([face(0.1)]);
    expect(mergeFaceCounts([face(0.1), face(0.6)], [])).toEqual([face(0.1), face(0.6)]);
  });

  it('tops the count up to the full-range count with the faces the short-range one missed', () => {
    expect(mergeFaceCounts([face(0.1)], [face(0.11), face(0.7, 0.7)])).toEqual([face(0.1), face(0.7, 0.7)]);
    expect(mergeFaceCounts([], [face(0.4)])).toEqual([face(0.4)]);
  });
});

describe('VisionEngine on real frames (wasm, Node)', () => {
  it('loads every model with progress and is ready', () => {
    expect(engine.models).toEqual(['faces', 'landmarks', 'pose', 'objects']);
    expect(progress[0]).toEqual([0, 4, 'faces']);
    expect(progress.at(-1)).toEqual([4, 4, 'objects']);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
  });

  it('runs faces and landmarks on every frame and at most one heavy model per frame; timings per model', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const frames = await run(engine, 'scenario.mjpeg', 38, 4); // 60 frames of the "looking down" face
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(frames.every((f) => f.failed.length === 0)).toBe(true);
    expect(counts(frames)).toBe('1'.repeat(frames.length));
    expect(frames.every((f) => f.signals.head !== null)).toBe(true);
    for (const f of frames) {
      const ms = msOf(f);
      expect(typeof ms.faces).toBe('number');
      expect(typeof ms.landmarks).toBe('number');
      expect(heavyOn(f).length).toBeLessThanOrEqual(1);
      expect(ms.pose !== undefined).toBe(f.signals.pose !== null);
      expect(ms.objects !== undefined).toBe(f.signals.objects !== null);
      expect(ms.total).toBeGreaterThanOrEqual(ms.faces! + ms.landmarks!);
    }
    const indices = (key: (typeof HEAVY)[number]) => frames.flatMap((f, i) => (msOf(f)[key] !== undefined ? [i] : []));
    const gaps = (list: number[]) => list.slice(1).map((v, i) => v - list[i]!);
    // The first frame checks the count with the full-range detector, the next runs the due objects, then pose.
    expect(heavyOn(frames[0]!)).toEqual(['facesFull']);
    expect(heavyOn(frames[1]!)).toEqual(['objects']);
    expect(heavyOn(frames[2]!)).toEqual(['pose']);
    // Pose every 3rd frame, one later when another model had the frame.
    const pose = indices('pose');
    expect(pose.length).toBeGreaterThanOrEqual(18);
    for (const gap of gaps(pose)) expect([3, 4]).toContain(gap);
    // Objects every 1.5 s (23 frames at 15 fps).
    expect(gaps(indices('objects'))).toEqual([23, 23]);
    // The full-range count is never older than its freshness limit (600 ms: 9 frames), and it runs every 400 ms or so.
    for (const gap of gaps(indices('facesFull'))) expect(gap).toBeLessThanOrEqual(9);
    expect(indices('facesFull').length).toBeLessThanOrEqual(frames.length / 5);

    const pitches = frames.map((f) => f.signals.head!.pitchDeg);
    expect(Math.min(...pitches)).toBeGreaterThan(20); // see face-landmarks.test.ts for the measured range

    const col = (key: keyof VisionFrameMs, only?: (f: FrameAnalysis) => boolean) =>
      median(frames.filter((f) => !only || only(f)).flatMap((f) => (typeof msOf(f)[key] === 'number' ? [msOf(f)[key]!] : [])));
    const totals = frames.map((f) => f.signals.ms.total).sort((a, b) => a - b);
    const light = (f: FrameAnalysis) => heavyOn(f).length === 0;
    const only = (key: (typeof HEAVY)[number]) => (f: FrameAnalysis) => msOf(f)[key] !== undefined;
    console.log(
      [
        `vision engine, ${tf.getBackend()} in Node, ${frames.length} frames at 15 fps (median ms):`,
        `  ready (load + warm-up of 4 models) ${msToReady.toFixed(0)}`,
        `  faces (short range) ${col('faces').toFixed(1)}, full range ${col('facesFull').toFixed(1)}, landmarks ${col('landmarks').toFixed(1)}, pose ${col('pose').toFixed(1)}, objects ${col('objects').toFixed(1)}`,
        `  frame total: p50 ${totals[Math.floor(totals.length / 2)]!.toFixed(1)}, p95 ${totals[Math.floor(totals.length * 0.95)]!.toFixed(1)}; light frames ${col('total', light).toFixed(1)}, with full range ${col('total', only('facesFull')).toFixed(1)}, with pose ${col('total', only('pose')).toFixed(1)}, with objects ${col('total', only('objects')).toFixed(1)}`,
      ].join('\n'),
    );
  }, 120_000);

  it('skips the face mesh when there is no face (head null, no failure)', async () => {
    const [frame] = await run(engine, 'scenario.mjpeg', 20, 1 / FPS);
    expect(frame!.signals.faces).toEqual([]);
    expect(frame!.signals.head).toBeNull();
    expect(frame!.failed).toEqual([]);
  });

  it('leaks no tensors over a schedule cycle with every model', async () => {
    await run(engine, 'two-faces-5s.mjpeg', 0, 0.5); // warm: lazily created state is not a leak
    const before = tf.memory().numTensors;
    await run(engine, 'two-faces-5s.mjpeg', 0, 2);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('reports a model that cannot load and keeps the others working', async () => {
    const errors: Array<[VisionModel, string]> = [];
    const broken: ModelSource = (name, onProgress) => {
      if (name.includes('movenet')) return { load: () => Promise.reject(new Error('404 Not Found')) };
      return nodeModels(name, onProgress);
    };
    const partial = await VisionEngine.create(
      broken,
      config,
      { enabled: { objects: false } },
      { onError: (model, message) => errors.push([model, message]) },
    );
    try {
      expect(partial.models).toEqual(['faces', 'landmarks']);
      expect(errors).toEqual([['pose', 'could not load: 404 Not Found']]);
      const frames = await run(partial, 'scenario.mjpeg', 5, 5 / FPS);
      // Frame 0 checks the count at full range; pose is due from frame 1, every 3rd frame.
      expect(frames.map((f) => f.failed)).toEqual([[], ['pose'], [], [], ['pose']]);
      expect(
        frames.every(
          (f) => f.signals.faces.length === 1 && f.signals.head !== null && f.signals.pose === null && f.signals.objects === null,
        ),
      ).toBe(true);
      expect(frames.every((f) => f.signals.ms.pose === undefined)).toBe(true); // no timing: the model did not work
    } finally {
      partial.dispose();
    }
  }, 60_000);
});

/**
 * The face count under both schedules: every model in this realm (Node's default), and pose and objects in the side worker (the browser's).
 */
describe.each([
  { schedule: 'every model in this realm', side: false },
  { schedule: 'pose and objects in the side worker', side: true },
])('the face count on every frame, $schedule', ({ side }) => {
  const setup = {} as { engine: VisionEngine };
  beforeAll(async () => {
    setup.engine = side
      ? await VisionEngine.create(nodeModels, config, {}, {}, { side: new SideWorker(inProcessSideWorker(), sideInit) })
      : engine;
  }, 120_000);
  afterAll(() => {
    if (side) setup.engine?.dispose();
  });

  it("is right on the labelled clips: one face, two faces, none, the scenario's two people", async () => {
    expect(counts(await run(setup.engine, 'single-face-5s.mjpeg', 0.5, 2))).toBe('1'.repeat(30));
    expect(counts(await run(setup.engine, 'two-faces-5s.mjpeg', 0.5, 2))).toBe('2'.repeat(30));
    expect(counts(await run(setup.engine, 'no-face-5s.mjpeg', 0.5, 2))).toBe('0'.repeat(30));
    // The scenario's two people, 25-35 s (a little inside the labelled edges).
    const both = await run(setup.engine, 'scenario.mjpeg', 25.3, 9.4);
    expect(counts(both)).toBe('2'.repeat(both.length));
  }, 180_000);

  it("follows the scenario's changes: the full-range count does not linger after a person leaves", async () => {
    // 14-17 s: the candidate leaves (labelled at 15 s); 34-37 s: the second person leaves (labelled at 35 s).
    const leaves = await run(setup.engine, 'scenario.mjpeg', 14, 3);
    const second = await run(setup.engine, 'scenario.mjpeg', 34, 3);
    // Frame i is at from + i/15 s: 15 frames a second.
    expect(counts(leaves.slice(0, 8))).toBe('11111111'); // 14.0-14.5 s
    expect(counts(leaves.slice(23))).toBe('0'.repeat(22)); // 15.53-17 s
    expect(counts(second.slice(0, 8))).toBe('22222222'); // 34.0-34.5 s
    expect(counts(second.slice(23))).toBe('1'.repeat(22)); // 35.53-37 s
  }, 120_000);

  it("takes the yaw from the detector's keypoints for a face the mesh cannot fit (a lone face far back)", async () => {
    // Nobody at the desk, one person far back: the full-range detector finds her, the mesh's own detector does not.
    const frames = await run(setup.engine, 'no-face-5s.mjpeg', 1, 1, (sec) => fixtureWithInset('no-face-5s.mjpeg', sec, BEHIND));
    const seen = frames.filter((f) => f.signals.faces.length === 1);
    const fromKeypoints = seen.filter((f) => f.signals.head?.from === 'keypoints');
    console.log(`a face far back: ${seen.length}/${frames.length} frames with the face, ${fromKeypoints.length} with a keypoint yaw`);
    expect(seen.length).toBeGreaterThan(frames.length / 2);
    expect(fromKeypoints.length).toBe(seen.length);
    // She looks at the camera (the scenario's frontal face, whose mesh yaw is ~14°): within the limit.
    expect(fromKeypoints.every((f) => Math.abs(f.signals.head!.yawDeg) < 30 && f.signals.head!.pitchDeg === 0)).toBe(true);
  }, 120_000);

  it('counts a second person further back, whom only the full-range detector sees', async () => {
    const frames = await run(setup.engine, 'scenario.mjpeg', 5, 3, (sec) => fixtureWithInset('scenario.mjpeg', sec, BEHIND));
    expect(counts(frames)).toBe('2'.repeat(frames.length));
    // The full-range detector ran on few of these frames: the count came from its last run.
    expect(frames.filter((f) => msOf(f).facesFull !== undefined).length).toBeLessThan(frames.length / 4);

    // Without it (short range only) this person is missed: the scheme is what finds them.
    const shortOnly = await VisionEngine.create(nodeModels, config, {
      faceModel: 'short',
      enabled: { landmarks: false, pose: false, objects: false },
    });
    try {
      expect(counts(await run(shortOnly, 'scenario.mjpeg', 5, 1, (sec) => fixtureWithInset('scenario.mjpeg', sec, BEHIND)))).toBe(
        '1'.repeat(15),
      );
    } finally {
      shortOnly.dispose();
    }
  }, 120_000);
});

describe('VisionEngine with pose and objects in the side worker (its protocol, in-process)', () => {
  it('sends pose and objects there, never waited for: each reported with a later frame than it was sent on', async () => {
    const worker = inProcessSideWorker();
    const side = new SideWorker(worker, sideInit);
    const withSide = await VisionEngine.create(nodeModels, config, {}, {}, { side });
    const inline = await PoseDetector.load(nodeModels);
    try {
      expect(withSide.models).toEqual(['faces', 'landmarks', 'pose', 'objects']);
      // Right after READY the side worker loads the second object model, busy: no pose is sent meanwhile.
      expect(side.busy).toBe(true);
      const until = Date.now() + 30_000;
      while (side.busy && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(side.busy).toBe(false);
      const tensorsBefore = tf.memory().numTensors;
      // The scenario's two people: the object models find no forbidden object there (object-detector.test.ts).
      const frames: FrameAnalysis[] = [];
      // The frames that sent a pose there, and the keypoints the same model finds on each in this realm.
      const poseSent: number[] = [];
      const inlinePose: Keypoint[][] = [];
      const posesSent = () => worker.sent.filter((type) => type === 'POSE').length;
      for (let i = 0; i < 30; i++) {
        const frame = fixtureTensor('scenario.mjpeg', 26 + i / FPS);
        try {
          const before = posesSent();
          frames.push(await withSide.analyse(frame, clock + Math.round((i * 1000) / FPS)));
          if (posesSent() > before) {
            poseSent.push(i);
            inlinePose.push(await inline.detect(frame));
          }
        } finally {
          frame.dispose();
        }
        await new Promise((resolve) => setTimeout(resolve, 20)); // the other realm works between frames
      }
      clock += 12_000;
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(frames.every((f) => f.failed.length === 0 && f.signals.faces.length === 2)).toBe(true);

      // Pose: sent every 3rd frame (later when objects still held the side worker); each answer is
      // reported once, with a later frame, and holds the keypoints of the frame it was sent on.
      expect(poseSent[0]).toBe(0);
      expect(poseSent.length).toBeGreaterThanOrEqual(8);
      const poseReported = frames.flatMap((f, i) => (f.signals.pose ? [i] : []));
      expect(poseReported.length).toBeGreaterThanOrEqual(poseSent.length - 1); // the last may still be under way
      poseReported.forEach((i, n) => {
        expect(i).toBeGreaterThan(poseSent[n]!);
        if (n + 1 < poseSent.length) expect(i).toBeLessThanOrEqual(poseSent[n + 1]!); // before the next is sent
        const f = frames[i]!;
        expect(msOf(f).pose).toBeGreaterThan(0);
        f.signals.pose!.forEach((k, j) => {
          expect(k.x).toBeCloseTo(inlinePose[n]![j]!.x, 5);
          expect(k.y).toBeCloseTo(inlinePose[n]![j]!.y, 5);
          expect(k.score).toBeCloseTo(inlinePose[n]![j]!.score, 5);
        });
      });
      // The periodic full-range check runs on frames that sent no pose (after its first run), so the
      // two never share the cores; no frame waits for pose.
      const full = frames.flatMap((f, i) => (msOf(f).facesFull !== undefined ? [i] : []));
      expect(full[0]).toBe(0);
      for (const i of full.slice(1)) expect(poseSent, `frame ${i}`).not.toContain(i);
      expect(full.length).toBeGreaterThanOrEqual(4); // every 400 ms or so

      // Objects: sent at 0 s and ~1.5 s, each reported once, with a later frame than it was sent on.
      expect(worker.sent.filter((t) => t === 'OBJECTS')).toHaveLength(2);
      const reported = frames.flatMap((f, i) => (f.signals.objects !== null ? [i] : []));
      expect(reported).toHaveLength(2);
      expect(reported[0]).toBeGreaterThan(0);
      for (const i of reported) {
        expect(frames[i]!.signals.objects).toEqual([]);
        expect(msOf(frames[i]!).objects).toBeGreaterThan(0);
      }
    } finally {
      withSide.dispose();
      inline.dispose();
    }
  }, 120_000);

  it('does not let a stuck side worker hold up the frames: the faces go on, and pose is reported failed after a second', async () => {
    const stuck = inProcessSideWorker();
    const post = stuck.postMessage.bind(stuck);
    stuck.postMessage = (msg: ToSideWorker) => (msg.type === 'POSE' ? undefined : post(msg)); // never answers a pose
    const errors: Array<[VisionModel, string]> = [];
    const withSide = await VisionEngine.create(
      nodeModels,
      config,
      { enabled: { landmarks: false, objects: false } },
      { onError: (m, e) => errors.push([m, e]) },
      { side: new SideWorker(stuck, sideInit) },
    );
    try {
      const frames = await run(withSide, 'single-face-5s.mjpeg', 1, 2 / FPS);
      expect(frames.map((f) => f.failed)).toEqual([[], []]); // no frame waits for the pose sent on the first
      expect(frames.every((f) => f.signals.ms.total < 1000)).toBe(true);
      expect(errors).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const later = await run(withSide, 'single-face-5s.mjpeg', 1.2, 1 / FPS);
      expect(later.map((f) => f.failed)).toEqual([['pose']]);
      expect(errors).toEqual([['pose', 'the side worker did not answer within 1000 ms']]);
      expect(counts([...frames, ...later])).toBe('111');
    } finally {
      withSide.dispose();
    }
  }, 60_000);

  it('runs pose and objects in this realm when the side worker cannot load them', async () => {
    const broken: ModelSource = () => ({ load: () => Promise.reject(new Error('404 Not Found')) });
    const errors: Array<[VisionModel, string]> = [];
    const withSide = await VisionEngine.create(
      nodeModels,
      config,
      { enabled: { landmarks: false } },
      { onError: (m, e) => errors.push([m, e]) },
      { side: new SideWorker(inProcessSideWorker(broken), sideInit) },
    );
    try {
      expect(withSide.models).toEqual(['faces', 'pose', 'objects']);
      expect(errors).toEqual([
        ['pose', 'could not load in the side worker (404 Not Found): loading it in the vision worker'],
        ['objects', 'could not load in the side worker (404 Not Found): loading it in the vision worker'],
      ]);
      const frames = await run(withSide, 'single-face-5s.mjpeg', 1, 4 / FPS);
      expect(frames.map(heavyOn)).toEqual([['facesFull'], ['objects'], ['pose'], []]); // the in-realm schedule
      expect(frames.every((f) => f.failed.length === 0)).toBe(true);
      expect(counts(frames)).toBe('1111');
    } finally {
      withSide.dispose();
    }
  }, 60_000);
});
