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
 * With --reference PHOTO.jpg (rule 2.8.6) an admin uploads the photo as the candidate's reference, the
 * exam re-verifies the face every --identity-every seconds (default 10), and the report gets
 * `identity`: { checks, skipped, similarity {min, median, max}, threshold, verified, mismatchIncidents, log }.
 * --audio defaults to e2e/fixtures/silence.wav.
 * With --room-scan (rule 2.8.3) it runs the 360° room-scan step instead, for at most --seconds, and the
 * report is { roomScan: { coverageDeg, complete, returnedToStart, msPerFrame, headingErrorDeg, centre, ... } }
 * (src/cli/eval-room-scan.ts); e.g. --room-scan --video e2e/fixtures/room-scan-full.mjpeg --seconds 32.
 * Needs `npm run build` first (npm test and npm start do it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../server/config';
import { runEval } from './eval-runner';
import { runRoomScanEval, type RoomScanLabel } from './eval-room-scan';
import { scoreReport, type LabelledFile } from './eval-score';

const { values: args } = parseArgs({
  options: {
    video: { type: 'string' },
    audio: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    out: { type: 'string' },
    labels: { type: 'string', default: path.join(PROJECT_ROOT, 'e2e', 'fixtures', 'labels.json') },
    reference: { type: 'string' },
    'identity-every': { type: 'string', default: '10' },
    'room-scan': { type: 'boolean', default: false },
  },
});

function usage(message: string): never {
  console.error(
    `${message}\nusage: npm run eval -- --video F.mjpeg --audio F.wav --seconds N --out report.json [--labels labels.json] [--reference PHOTO.jpg [--identity-every SEC]] [--room-scan]`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  if (!args.video) usage('--video is required');
  // Without --audio the fake microphone plays the quiet room of e2e/fixtures/silence.wav.
  const audioFile = args.audio ?? path.join(PROJECT_ROOT, 'e2e', 'fixtures', 'silence.wav');
  for (const f of [args.video, audioFile, ...(args.reference ? [args.reference] : [])]) if (!existsSync(f)) usage(`no such file: ${f}`);
  const identityEverySec = Number(args['identity-every']);
  if (!Number.isFinite(identityEverySec) || identityEverySec < 10 || identityEverySec > 3600)
    usage('--identity-every must be 10..3600 (seconds)');
  const seconds = Number(args.seconds);
  if (!Number.isFinite(seconds) || seconds < 5 || seconds > 3600) usage('--seconds must be 5..3600');
  if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'index.html'))) usage('the app is not built: run `npm run build` first');

  if (args['room-scan']) {
    const labelled = existsSync(args.labels)
      ? (JSON.parse(readFileSync(args.labels, 'utf8')) as { files: Record<string, Partial<RoomScanLabel>> }).files[
          path.basename(args.video)
        ]
      : undefined;
    const label = labelled?.yaw_deg_by_s && labelled.duration_s && labelled.rotation_deg !== undefined ? (labelled as RoomScanLabel) : null;
    const scan = await runRoomScanEval({ video: args.video, audio: audioFile, seconds, label, log: (l) => console.error(l) });
    if (args.out) writeFileSync(args.out, JSON.stringify(scan, null, 1));
    console.log(JSON.stringify(scan, null, 1));
    return;
  }
  const report = await runEval({
    video: args.video,
    audio: audioFile,
    seconds,
    log: (l) => console.error(l),
    ...(args.reference ? { reference: args.reference, identityEverySec } : {}),
  });
  const labels = existsSync(args.labels)
    ? (JSON.parse(readFileSync(args.labels, 'utf8')) as { files: Record<string, LabelledFile> }).files
    : {};
  const video = labels[path.basename(args.video)] ?? null;
  const audio = labels[path.basename(audioFile)] ?? null;
  const score = video || audio ? scoreReport(report, video, audio) : null;
  if (args.out) writeFileSync(args.out, JSON.stringify({ ...report, ...(score ? { score } : {}) }, null, 1));

  console.log(`window ${report.window.from}-${report.window.to} s of the feed; ${report.incidents.length} incidents`);
  console.table(report.incidents.map((i) => ({ ...i })));
  const { models, ...perf } = report.perf;
  console.table([perf]);
  console.table(Object.entries(models).map(([model, m]) => ({ model, ...m })));
  if (score) {
    console.table(score.classes.map((c) => ({ ...c, cleanMinutes: Math.round(c.cleanMinutes * 100) / 100 })));
    if (score.unexpected.length) {
      console.log('incidents of types the labels expect nowhere (all false):');
      console.table(score.unexpected);
    } else console.log('no incident of a type the labels do not expect');
    const fv = score.falseViolations;
    console.log(
      `false violations: ${fv.count} in ${fv.cleanMinutes.toFixed(1)} clean minutes` +
        (fv.perCleanHour === null ? '' : ` = ${fv.perCleanHour.toFixed(1)} per clean hour`),
    );
    console.table([score.samples]);
  } else console.log('(no labels for these files: no score)');
  if (report.identity) {
    const { log, ...summary } = report.identity;
    console.log(
      `identity (rule 2.8.6) against ${summary.reference}: ${summary.verified ? 'verified' : 'NOT verified'}; ${summary.mismatchIncidents} face.mismatch incident(s)`,
    );
    console.table([{ checks: summary.checks, skipped: summary.skipped, ...(summary.similarity ?? {}), threshold: summary.threshold }]);
    console.table(log);
  }
}

main().catch((err: unknown) => {
  console.error(`eval failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
