/**
 * npm run bench [-- --json FILE] [--runs N]
 *
 * Prints: the app shell's and the ML workers' size (gzip), the model files' size; the proctoring
 * pipeline in headless Chromium on the wasm backend (a clean clip, observe mode): time to
 * "proctoring ready", ms per analysed frame for each model and the whole pipeline (p50/p95),
 * analysed fps, audio ms per buffer, main-thread long tasks; beside them the same models alone
 * (Node, wasm, one at a time on the same clip: no recording, no browser, nothing else running),
 * so the difference is what the exam's other work costs them; time from opening an exam link to
 * the first screen; and the centre's figures (one event append to the hash-chained SQLite log
 * with fsync, and an answer's round trip over socket.io). Needs `npm run build` first.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { FIXTURES, launchChromium } from '../testing/chromium';
import { runEval } from './eval-runner';
import { PROJECT_ROOT } from '../server/config';
import type { ExamSnapshot, Response } from '../shared/protocol';
import { DEFAULT_CANDIDATE_RATE_LIMITS } from '../server/rate-limit';
import { startHarness } from '../testing/centre-harness';
import { percentile } from './percentile';
import * as tf from '@tensorflow/tfjs-core';
import { VisionEngine } from '../workers/vision-engine';
import { PoseDetector } from '../detectors/pose-detector';
import { ObjectDetector } from '../detectors/object-detector';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import { fixtureTensor, initNodeTf, nodeModels } from '../testing/node-models';

const { values: args } = parseArgs({
  options: { json: { type: 'string' }, runs: { type: 'string', default: '5' }, seconds: { type: 'string', default: '30' } },
});
const RUNS = Math.max(1, Math.min(50, Number(args.runs)));
const PIPELINE_SECONDS = Math.max(10, Math.min(600, Number(args.seconds)));

type Row = { metric: string; value: number; unit: string; note?: string };
const rows: Row[] = [];
const add = (metric: string, value: number, unit: string, note?: string) =>
  rows.push({ metric, value: Math.round(value * 10) / 10, unit, ...(note ? { note } : {}) });

function bundleSizes(): void {
  const assets = path.join(PROJECT_ROOT, 'dist', 'assets');
  const files = readdirSync(assets);
  const size = (f: string) => readFileSync(path.join(assets, f));
  const html = readFileSync(path.join(PROJECT_ROOT, 'dist', 'index.html'), 'utf8');
  // The shell is what index.html loads before anything is clicked: its entry script(s) and CSS.
  const shell = files.filter((f) => (f.endsWith('.js') || f.endsWith('.css')) && html.includes(`/assets/${f}`));
  const workers = files.filter((f) => f.endsWith('.js') && /worker|worklet/.test(f));
  const lazy = files.filter((f) => f.endsWith('.js') && !shell.includes(f) && !workers.includes(f));
  const gz = (list: string[]) => list.reduce((n, f) => n + gzipSync(size(f), { level: 9 }).length, 0) / 1024;
  add('app shell (entry JS + CSS), gzip', gz(shell), 'KB', shell.join(' '));
  add('ML bundle (vision + audio workers, loaded when proctoring starts), gzip', gz(workers), 'KB', workers.join(' '));
  add('lazy chunks (staff pages), gzip', gz(lazy), 'KB', lazy.join(' '));
  const models = path.join(PROJECT_ROOT, 'models', 'files');
  const walk = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce(
      (n, e) => n + (e.isDirectory() ? walk(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size),
      0,
    );
  add('model files served under /models', walk(models) / 1e6, 'MB');
}

async function centreFigures(): Promise<void> {
  // 200 saves back to back measure the commit round trip, not the per-session rate limit,
  // which a candidate answering at human pace never meets: lift the answer limit for this centre only.
  const candidateRateLimits = { ...DEFAULT_CANDIDATE_RATE_LIMITS, answers: { perSecond: 1_000, burst: 1_000 } };
  const h = await startHarness({ withApp: true, config: { candidateRateLimits } });
  try {
    const { token, sessionId } = await h.issueToken();
    const socket = await h.candidate(token);
    await socket.timeout(5000).emitWithAck('exam:choose-language', { language: 'ru' });
    await h.passPrestart(socket);
    const snap = ((await socket.timeout(5000).emitWithAck('exam:start', {})) as { data: ExamSnapshot }).data;

    const append: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await h.store.appendEvent(sessionId, {
        origin: 'server',
        seq: null,
        eventId: null,
        type: 'session.connected',
        clientAt: null,
        serverAt: Date.now(),
        data: { i },
      });
      append.push(performance.now() - t0);
    }
    add('event append (SQLite WAL, fsync), p50', percentile(append, 50), 'ms');
    add('event append, p99', percentile(append, 99), 'ms');

    const rtt: number[] = [];
    for (let i = 0; i < 200; i++) {
      const q = snap.questions[i % snap.questions.length]!;
      const t0 = performance.now();
      const res = (await socket
        .timeout(5000)
        .emitWithAck('answer:save', { questionId: q.id, optionIds: [q.options[0]!.id], rev: i + 1 })) as Response<unknown>;
      if ('error' in res) throw new Error(res.error.message);
      rtt.push(performance.now() - t0);
    }
    add('answer save round trip (socket.io, commit, ack), p50', percentile(rtt, 50), 'ms');
    add('answer save round trip, p99', percentile(rtt, 99), 'ms');

    const browser = await launchChromium({ video: 'single-face-5s.mjpeg', audio: 'silence.wav' });
    try {
      const ready: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const link = await h.issueToken();
        const context = await browser.newContext();
        const page = await context.newPage();
        const t0 = performance.now();
        await page.goto(link.url);
        await page.locator('.page.exam[data-phase="language"]').waitFor({ timeout: 15_000 });
        ready.push(performance.now() - t0);
        await context.close();
      }
      add('exam link → language screen ready (Chromium, cold context), median', percentile(ready, 50), 'ms', `${RUNS} runs`);
    } finally {
      await browser.close();
    }
  } finally {
    await h.close();
  }
}

type ModelMs = Record<string, { p50: number; p95: number; runs: number }>;

/**
 * The vision models alone on the same clip, in Node's wasm backend: the vision worker's own frame
 * (short- and full-range faces, face mesh; pose and objects are off, as in the exam they run in the
 * side worker), then pose and objects each by itself. No recording, camera, audio or browser.
 */
async function visionAlone(): Promise<ModelMs> {
  await initNodeTf();
  const clip = 'single-face-5s.mjpeg';
  const frames = 75; // 5 s at 15 fps
  const config = {
    analysisFps: 15,
    face: { minScore: 0.6 },
    body: { ...DEFAULT_PROCTORING.body, everyNthFrame: 3 },
    objects: { intervalSec: 1.5, minScore: 0.4, allow: [] },
  };
  const ms: Record<string, number[]> = {};
  const push = (key: string, value: number | undefined) => value !== undefined && (ms[key] ??= []).push(value);
  const engine = await VisionEngine.create(nodeModels, config, { enabled: { pose: false, objects: false } });
  try {
    for (let i = 0; i < frames; i++) {
      const frame = fixtureTensor(clip, i / 15);
      try {
        const { signals } = await engine.analyse(frame, 1_000_000 + Math.round((i * 1000) / 15));
        for (const [key, value] of Object.entries(signals.ms)) push(key, value);
      } finally {
        frame.dispose();
      }
    }
  } finally {
    engine.dispose();
  }
  const alone = async (
    key: string,
    load: () => Promise<{ detect(frame: tf.Tensor3D): Promise<unknown>; dispose(): void }>,
    step: number,
  ) => {
    const detector = await load();
    try {
      for (let i = 0; i < frames; i += step) {
        const frame = fixtureTensor(clip, i / 15);
        try {
          const t0 = performance.now();
          await detector.detect(frame);
          push(key, performance.now() - t0);
        } finally {
          frame.dispose();
        }
      }
    } finally {
      detector.dispose();
    }
  };
  await alone('pose', () => PoseDetector.load(nodeModels), 1);
  await alone('objects', () => ObjectDetector.load(nodeModels, { minScore: 0.4, allow: [] }), 5);
  return Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, { p50: percentile(v, 50), p95: percentile(v, 95), runs: v.length }]));
}

/** The proctoring pipeline in headless Chromium on the wasm backend (a clean clip, observe mode), beside the models alone. */
async function pipelineFigures(): Promise<void> {
  const report = await runEval({
    video: path.join(FIXTURES, 'single-face-5s.mjpeg'),
    audio: path.join(FIXTURES, 'silence.wav'),
    seconds: PIPELINE_SECONDS,
  });
  const alone = await visionAlone();
  const p = report.perf;
  add('proctoring ready (models downloaded + warmed up, both workers)', p.msToReady, 'ms');
  add('model files + wasm the candidate downloads', p.modelDownloadBytes / 1e6, 'MB');
  for (const [model, m] of Object.entries(p.models)) {
    const name = model === 'total' ? 'vision worker per analysed frame, in the exam' : `${model} per run, in the exam`;
    const by = alone[model];
    const note = (q: 'p50' | 'p95') => (by ? `alone ${by[q].toFixed(1)} ms (${by.runs} runs)` : undefined);
    add(`${name}, p50`, m.p50, 'ms', [`${m.runs} runs`, note('p50')].filter(Boolean).join('; '));
    add(`${name}, p95`, m.p95, 'ms', note('p95'));
  }
  add(
    'analysed frames per second (camera 30 fps, 15 requested)',
    p.analysedFps,
    'fps',
    `${p.droppedFrames ?? 0} frames dropped while busy`,
  );
  add('audio per 32 ms buffer (level + features + Silero VAD), p50', p.audioMsP50, 'ms');
  add('audio per buffer, p95', p.audioMsP95, 'ms');
  add('main-thread long tasks (>50 ms) while proctored', p.longTasks, 'tasks', `longest ${p.longestTaskMs} ms over ${PIPELINE_SECONDS} s`);
  add('incidents on the clean clip (should be 0)', report.incidents.length, 'incidents');
}

async function main(): Promise<void> {
  bundleSizes();
  await pipelineFigures();
  await centreFigures();
  console.table(rows);
  if (args.json) writeFileSync(args.json, JSON.stringify({ measuredAt: new Date().toISOString(), cpus: os.cpus().length, rows }, null, 2));
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
