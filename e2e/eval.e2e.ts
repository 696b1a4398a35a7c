/**
 * `npm run eval` on the labelled 60 s scenario (one person, nobody, two people, looking down
 * at a phone, one person again; speech at 20-26 s and a noise burst at 40-43 s): the real app
 * and engine in Chromium, observe mode. Per class, every labelled episode must raise its
 * incident and no incident may fall outside one (rule 2.8: faces, head, noise, speech).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEval } from '../src/cli/eval-runner';
import { scoreReport, type LabelledFile } from '../src/cli/eval-score';
import { FIXTURES } from '../src/testing/chromium';

const labels = (JSON.parse(readFileSync(path.join(FIXTURES, 'labels.json'), 'utf8')) as { files: Record<string, LabelledFile> }).files;

describe('npm run eval on the labelled scenario', () => {
  it('finds every labelled episode of absence, a second person, looking down, speech and noise, with no false incident', async () => {
    const report = await runEval({ video: path.join(FIXTURES, 'scenario.mjpeg'), audio: path.join(FIXTURES, 'scenario.wav'), seconds: 60 });
    const score = scoreReport(report, labels['scenario.mjpeg']!, labels['scenario.wav']!);
    const byType = Object.fromEntries(score.classes.map((c) => [c.type, c]));
    for (const type of ['face.absent', 'face.multiple', 'head.away', 'audio.speech', 'audio.noise']) {
      const c = byType[type]!;
      // The window starts once the models are ready, so it covers each episode at least once (the files loop at 60 s).
      expect(c.episodes, type).toBeGreaterThanOrEqual(1);
      expect(c.recall, type).toBe(1);
      expect(c.precision, type).toBe(1);
    }
    expect(score.classes.every((c) => (c.falsePerCleanMinute ?? 0) === 0)).toBe(true);
    // Per frame the count may lag a cut by a frame or two, more so on a loaded machine; the incidents above are what decide.
    expect(score.samples.faceCountAccuracy).toBeGreaterThan(0.8);
    expect(score.samples.speechPrecision).toBeGreaterThan(0.9);
    // The report has the contract's shape (DESIGN §7), in seconds of the feed.
    expect(report.window.to - report.window.from).toBeGreaterThanOrEqual(59);
    expect(report.samples.some((s) => s.faces !== null && s.yawDeg !== null && s.pitchDeg !== null)).toBe(true);
    expect(report.samples.some((s) => s.levelDb !== null && s.speech !== null)).toBe(true);
    expect(report.perf.analysedFps).toBeGreaterThan(3);
    expect(report.perf.frameMsP50).toBeGreaterThan(0);
  });
});
