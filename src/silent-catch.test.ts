/**
 * No failure is dropped without a word: in production code, a promise handler that
 * ignores its error (`.catch(() => …)`, or `.then(ok, () => …)`) must say why on its line or in a
 * comment line just above it. A failure someone can act on is shown to them instead (the candidate's
 * Submit, say), and one nobody on the page can act on goes to the centre as a `client.error`
 * event (src/exam/client-errors.ts) or to the server's log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('.', import.meta.url));

function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' && dir === SRC ? [] : productionFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/**
 * A handler that drops its error for a constant: `.catch(() => undefined)` (or null, or `{}`), or
 * the same as a second `.then` argument. A handler that does something (shows a message, resets
 * a field) is not flagged: what it does is the answer to the failure.
 */
const IGNORING = /\.catch\(\s*\(\)\s*=>\s*(?:undefined|null|\{\s*\})\s*\)|,\s*\(\)\s*=>\s*(?:undefined|null|\{\s*\})\s*\)/;

/** Lines that ignore a failure and give no reason, as "file:line: text". */
export function silentCatches(files: string[]): string[] {
  return files.flatMap((file) => {
    const lines = readFileSync(file, 'utf8').split('\n');
    return lines.flatMap((line, i) => {
      if (!IGNORING.test(line)) return [];
      // A reason on the line, or in a comment line among the three above (a chain Prettier split over lines).
      const said =
        /\/\/\s*\S/.test(line.slice(line.search(IGNORING))) || lines.slice(Math.max(0, i - 3), i).some((l) => /^\s*\/\/\s*\S/.test(l));
      return said ? [] : [`${path.relative(SRC, file)}:${i + 1}: ${line.trim()}`];
    });
  });
}

describe('failures are not dropped silently', () => {
  it('finds an ignored failure without a reason, and accepts one with a reason', () => {
    const dir = fileURLToPath(new URL('./testing/', import.meta.url));
    expect(IGNORING.test('await x.close().catch(() => undefined);')).toBe(true);
    expect(IGNORING.test('p.then(received, () => undefined)')).toBe(true);
    expect(IGNORING.test('p.catch((e: unknown) => report(e))')).toBe(false);
    expect(IGNORING.test('download().catch(() => setFailed(true))')).toBe(false);
    const [file] = productionFiles(dir);
    expect(silentCatches([file!])).toEqual([]);
  });

  it('every production handler that ignores an error says why', () => {
    const files = productionFiles(SRC).filter((f) => !f.includes(`${path.sep}cli${path.sep}`));
    expect(files.length).toBeGreaterThan(100);
    expect(silentCatches(files)).toEqual([]);
  });
});
