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
    await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(PROJECT_ROOT, 'src/cli/loadtest.ts'),
        '--candidates',
        '5',
        '--seconds',
        '3',
        '--rate',
        '2',
        '--incidents',
        '20',
        '--watched',
        '3',
        '--json',
        out,
      ],
      {
        cwd: PROJECT_ROOT,
        timeout: 50_000,
      },
    );
    const report = JSON.parse(readFileSync(out, 'utf8')) as Record<string, number> & { serverRssMB: number[] };
    expect(report.candidates).toBe(5);
    expect(report.eventsAcked).toBeGreaterThanOrEqual(5 * 3 * 2 - 5);
    expect(report.lostEvents).toBe(0);
    expect(report.errors).toBe(0);
    // Every incident reached the proctor's queue; the watched cards' thumbnails were relayed.
    expect(report.incidentsSent).toBeGreaterThanOrEqual(5);
    expect(report.incidentsLost).toBe(0);
    expect(report.thumbsReceived).toBeGreaterThan(0);
    expect(report.serverRssMB).toHaveLength(1);
    expect(report.serverRssMB[0]).toBeGreaterThan(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

it('against two nodes of its own on PostgreSQL and Redis, with the recording, nothing is lost', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tanu-lt-'));
  try {
    const out = path.join(dir, 'report.json');
    await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(PROJECT_ROOT, 'src/cli/loadtest.ts'),
        '--nodes',
        '2',
        '--candidates',
        '4',
        '--seconds',
        '5',
        '--rate',
        '2',
        '--recording-kbps',
        '300',
        '--watched',
        '4',
        '--json',
        out,
      ],
      { cwd: PROJECT_ROOT, timeout: 80_000 },
    );
    const report = JSON.parse(readFileSync(out, 'utf8')) as Record<string, number> & {
      serverRssMB: number[];
      leader: string[];
      nodesHeard: number[];
    };
    expect(report.nodes).toBe(2);
    expect(report.lostEvents).toBe(0);
    expect(report.errors).toBe(0);
    expect(report.chunksAcked).toBeGreaterThanOrEqual(4 * 2);
    expect(report.recordingKbpsPerCandidate).toBeGreaterThan(100);
    expect(report.serverRssMB).toHaveLength(2);
    expect(report.leader).toHaveLength(1); // exactly one node runs the timers
    expect(report.nodesHeard).toEqual([2, 2]); // each hears the other through Redis
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
