/** `npm run bench` keeps working: it prints its table and writes every figure, each a real number. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/server/config';

it('bench measures the shell, the proctoring pipeline, the centre and time to the first screen', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tanu-bench-'));
  try {
    const out = path.join(dir, 'bench.json');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/cli/bench.ts'), '--runs', '1', '--seconds', '10', '--json', out],
      {
        cwd: PROJECT_ROOT,
        timeout: 240_000,
      },
    );
    expect(stdout).toContain('app shell');
    const { rows } = JSON.parse(readFileSync(out, 'utf8')) as { rows: Array<{ metric: string; value: number; note?: string }> };
    const value = (prefix: string) => rows.find((r) => r.metric.startsWith(prefix))?.value;
    expect(value('app shell')).toBeGreaterThan(10);
    expect(value('model files')).toBeGreaterThan(1);
    expect(value('event append (SQLite')).toBeGreaterThan(0);
    expect(value('answer save round trip (socket.io')).toBeGreaterThan(0);
    expect(value('exam link → language screen')).toBeGreaterThan(0);
    expect(value('ML bundle')).toBeGreaterThan(10);
    expect(value('proctoring ready')).toBeGreaterThan(0);
    expect(value('model files + wasm the candidate downloads')).toBeGreaterThan(1);
    expect(value('vision worker per analysed frame, in the exam, p50')).toBeGreaterThan(0);
    // Beside each in-exam figure, the same models alone (Node, nothing else running).
    for (const model of ['vision worker per analysed frame', 'faces per run', 'pose per run', 'objects per run']) {
      expect(rows.find((r) => r.metric.startsWith(`${model}, in the exam, p95`))?.note, model).toMatch(
        /^alone \d+(\.\d)? ms \(\d+ runs\)$/,
      );
    }
    expect(value('analysed frames per second')).toBeGreaterThan(1);
    expect(value('audio per 32 ms buffer')).toBeGreaterThan(0);
    for (const r of rows) expect(Number.isFinite(r.value), r.metric).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
