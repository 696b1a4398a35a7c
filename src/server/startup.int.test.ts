/**
 * `npm start`'s server process as a user meets it: first start seeds and prints the staff
 * log-in and a working one-time exam link; a second start keeps the data and prints a new
 * link; a missing or altered model file stops the start with a message saying what to do.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './config';
import { loadManifest } from './models/manifest';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'tanu-start-'));
  dirs.push(d);
  return d;
};

/** main.ts in a child process, as `npm start` runs it after the build. */
function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/server/main.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
  });
  let out = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    out += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    output: () => out,
    exit,
    stop: async () => {
      child.kill('SIGTERM');
      await exit;
    },
    /** Resolves with the first match of the pattern in the output; rejects if the process ends first. */
    waitFor(pattern: RegExp, timeoutMs = 25_000): Promise<RegExpExecArray> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (m) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in time:\n${out}`)), timeoutMs);
        listeners.add(check);
        void exit.then(() => setTimeout(() => reject(new Error(`main.ts exited before ${pattern}:\n${out}`)), 50));
        check();
      });
    },
  };
}

const countSessions = (dataDir: string): number => {
  const db = new Database(path.join(dataDir, 'tanu.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM exam_sessions').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

const LINK = /(http:\/\/localhost:\d+)\/exam#t=(\S+)/;

describe('starting the centre', () => {
  it('seeds on first start, prints credentials and a one-time link that opens an exam; a restart keeps the data', async () => {
    const data = tempDir();
    const first = startMain({ TANU_DATA_DIR: data });
    const [, base, token] = await first.waitFor(LINK);
    expect(first.output()).toContain('seeded just now');
    expect(first.output()).toMatch(/proctor\s+proctor \/ \S+/);
    const socket = io(`${base}/candidate`, { auth: { token }, transports: ['websocket'], reconnection: false });
    const snapshot = await new Promise((resolve, reject) => {
      socket.on('connect_error', reject);
      socket.on('connect', () =>
        socket.timeout(5000).emit('exam:resume', {}, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))),
      );
    });
    socket.close();
    expect(snapshot).toMatchObject({ data: { status: 'issued', questionCount: 30, language: null } });
    await first.stop();

    // A restart prints no password and creates no exam session; the data folder is owner-only.
    const sessionsBefore = countSessions(data);
    const second = startMain({ TANU_DATA_DIR: data });
    await second.waitFor(/demo passwords: \S+demo-credentials\.json/);
    expect(second.output()).not.toContain('seeded just now');
    expect(second.output()).not.toMatch(/proctor\s+proctor \/ \S+/);
    expect(second.output()).not.toMatch(LINK);
    await second.stop();
    expect(countSessions(data)).toBe(sessionsBefore);
    expect(readdirSync(data)).toEqual(expect.arrayContaining(['tanu.sqlite', 'demo-credentials.json']));
    expect((statSync(data).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(path.join(data, 'tanu.sqlite')).mode & 0o777).toString(8)).toBe('600');

    // Asked for: the passwords and a new link.
    const third = startMain({ TANU_DATA_DIR: data, TANU_PRINT_DEMO_LINKS: '1' });
    const [, , token3] = await third.waitFor(LINK);
    expect(third.output()).toMatch(/proctor\s+proctor \/ \S+/);
    expect(token3).not.toBe(token);
    await third.stop();
  }, 60_000);

  it('refuses to start when a model file is missing or altered, and says to run npm run models', async () => {
    const manifest = loadManifest(path.join(PROJECT_ROOT, 'models', 'manifest.json'));
    const models = tempDir();
    for (const f of manifest.files) {
      mkdirSync(path.dirname(path.join(models, f.name)), { recursive: true });
      copyFileSync(path.join(PROJECT_ROOT, 'models', 'files', f.name), path.join(models, f.name));
    }
    const victim = manifest.files[0]!.name;
    writeFileSync(path.join(models, victim), 'x'.repeat(manifest.files[0]!.bytes)); // same size, other bytes
    rmSync(path.join(models, manifest.files[1]!.name));
    const main = startMain({ TANU_DATA_DIR: tempDir(), TANU_MODELS_DIR: models });
    expect(await main.exit).toBe(1);
    expect(main.output()).toContain('could not start');
    expect(main.output()).toContain(victim);
    expect(main.output()).toContain(manifest.files[1]!.name);
    expect(main.output()).toContain('npm run models');
  }, 40_000);

  it('refuses a bad configuration with a clear message', async () => {
    const main = startMain({ TANU_DATA_DIR: tempDir(), PORT: 'eighty' });
    expect(await main.exit).toBe(1);
    expect(main.output()).toMatch(/invalid configuration[\s\S]*PORT/);
  }, 30_000);
});
