/** `npm run loadtest` works end to end: its own centre, simulated candidates, a proctor, and a report with nothing lost. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config';

it('a short load test delivers every acknowledged event to the proctor', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tanu-lt-'));
  try {
    const out = path.join(dir, 'report.json');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/cli/loadtest.ts'), '--candidates', '5', '--seconds', '3', '--rate', '2', '--incidents', '20', '--watched', '3', '--json', out], {
      cwd: PROJECT_ROOT,
      timeout: 50_000,
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>;
    expect(report.candidates).toBe(5);
    expect(report.eventsAcked).toBeGreaterThanOrEqual(5 * 3 * 2 - 5);
    expect(report.lostEvents).toBe(0);
    expect(report.errors).toBe(0);
    // Issue 10: every incident reached the proctor's queue; the watched cards' thumbnails were relayed.
    expect(report.incidentsSent).toBeGreaterThanOrEqual(5);
    expect(report.incidentsLost).toBe(0);
    expect(report.thumbsReceived).toBeGreaterThan(0);
    expect(report.serverRssMB).toBeGreaterThan(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
