/**
 * npm run eval -- --video F.mjpeg --audio F.wav --seconds N --out report.json [--labels FILE]
 *
 * Runs the real candidate app and proctoring engine in headless Chromium on the files
 * (observe mode: nothing terminates) and writes DESIGN §7's report:
 *   { samples: [{t, faces, yawDeg, pitchDeg, speech, levelDb, objects}], incidents: [{type, start, end, confidence}],
 *     perf: {frameMsP50, frameMsP95, analysedFps, audioMsP50, longTasks, ...}, window: {from, to} }
 * with t, start and end in seconds from the start of the feed. When the files are described in
 * a labels file (default e2e/fixtures/labels.json), it also prints per-class recall, precision
 * and false incidents per clean minute, and adds them to the report as `score`.
 * Needs `npm run build` first (npm test and npm start do it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../server/config';
import { runEval } from './eval-runner';
import { scoreReport, type LabelledFile } from './eval-score';

const { values: args } = parseArgs({
  options: {
    video: { type: 'string' },
    audio: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    out: { type: 'string' },
    labels: { type: 'string', default: path.join(PROJECT_ROOT, 'e2e', 'fixtures', 'labels.json') },
  },
});

function usage(message: string): never {
  console.error(`${message}\nusage: npm run eval -- --video F.mjpeg --audio F.wav --seconds N --out report.json [--labels labels.json]`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (!args.video || !args.audio) usage('--video and --audio are required');
  for (const f of [args.video, args.audio]) if (!existsSync(f)) usage(`no such file: ${f}`);
  const seconds = Number(args.seconds);
  if (!Number.isFinite(seconds) || seconds < 5 || seconds > 3600) usage('--seconds must be 5..3600');
  if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'index.html'))) usage('the app is not built: run `npm run build` first');

  const report = await runEval({ video: args.video, audio: args.audio, seconds, log: (l) => console.error(l) });
  const labels = existsSync(args.labels) ? (JSON.parse(readFileSync(args.labels, 'utf8')) as { files: Record<string, LabelledFile> }).files : {};
  const video = labels[path.basename(args.video)] ?? null;
  const audio = labels[path.basename(args.audio)] ?? null;
  const score = video || audio ? scoreReport(report, video, audio) : null;
  if (args.out) writeFileSync(args.out, JSON.stringify({ ...report, ...(score ? { score } : {}) }, null, 1));

  console.log(`window ${report.window.from}-${report.window.to} s of the feed; ${report.incidents.length} incidents`);
  console.table(report.incidents.map((i) => ({ ...i })));
  const { models, ...perf } = report.perf;
  console.table([perf]);
  console.table(Object.entries(models).map(([model, m]) => ({ model, ...m })));
  if (score) {
    console.table(score.classes.map((c) => ({ ...c, cleanMinutes: Math.round(c.cleanMinutes * 100) / 100 })));
    console.table([score.samples]);
  } else console.log('(no labels for these files: no score)');
}

main().catch((err: unknown) => {
  console.error(`eval failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exit(1);
});
