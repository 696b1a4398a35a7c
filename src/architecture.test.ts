/**
 * Import direction (README, Architecture): shared → proctoring → detectors/devices/session → stores →
 * exam/proctor/review → app, features never import each other, and the centre server is a
 * separate program that shares only src/shared with the browser.
 *
 * Imports are read with regexes over the source text (static, type-only, re-exports,
 * side-effect and dynamic imports). Only production code is checked: tests (*.test.ts) and
 * test support (src/testing/) may reach across layers to set up real servers and stores.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('.', import.meta.url));

/** Every module specifier in a source text. */
function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, // import x from 'a'; import type { X } from 'a'; export { x } from 'a'; export * from 'a'
    /\bimport\s*['"]([^'"]+)['"]/g, // import 'a.css'
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // import('a')
  ];
  return patterns.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]!));
}

interface Import {
  from: string; // file, relative to src/
  fromDir: string; // its top-level folder under src/
  specifier: string;
  /** The top-level folder under src/ that a relative import lands in; null for packages. */
  toDir: string | null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

const isTestCode = (rel: string) => /\.test\.tsx?$/.test(rel) || rel.startsWith('testing/');
const topDir = (rel: string) => rel.split('/')[0]!;

function productionImports(): Import[] {
  return sourceFiles(SRC)
    .map((file) => ({ file, rel: path.relative(SRC, file).split(path.sep).join('/') }))
    .filter(({ rel }) => !isTestCode(rel) && rel.includes('/'))
    .flatMap(({ file, rel }) =>
      importSpecifiers(readFileSync(file, 'utf8')).map((specifier) => {
        let toDir: string | null = null;
        if (specifier.startsWith('.')) {
          const target = path.relative(SRC, path.resolve(path.dirname(file), specifier)).split(path.sep).join('/');
          toDir = target.startsWith('..') ? '(outside src)' : topDir(target);
        }
        return { from: rel, fromDir: topDir(rel), specifier, toDir };
      }),
    );
}

const IMPORTS = productionImports();
const show = (list: Import[]) => list.map((i) => `${i.from} imports '${i.specifier}'`);

describe('the import reader', () => {
  it('reads every kind of import and ignores comments', () => {
    const source = [
      "import { a, b } from './a';",
      'import {',
      '  c,',
      "  type D,",
      "} from '../b/c';",
      "import type { E } from 'zod';",
      "import * as F from 'node:fs';",
      "import './side-effect.css';",
      "export { g } from './g';",
      "export * from './h';",
      "export type { I } from './i';",
      "const J = lazy(() => import('./j'));",
      "// import { no } from './commented';",
      "/* import { no } from './block'; */",
      "const url = 'http://example.com/x'; import k from './k';",
    ].join('\n');
    expect(importSpecifiers(source).sort()).toEqual(['../b/c', './a', './g', './h', './i', './j', './k', './side-effect.css', 'node:fs', 'zod'].sort());
  });

  it('finds imports in every top-level folder of src/', () => {
    const dirs = new Set(IMPORTS.map((i) => i.fromDir));
    for (const dir of ['shared', 'server', 'exam', 'proctor', 'review', 'app', 'session', 'stores', 'ui', 'devices']) expect(dirs, dir).toContain(dir);
  });
});

describe('import direction (README, Architecture)', () => {
  it('src/shared imports only src/shared and zod: no React, no Node, no socket.io, no DOM layers', () => {
    const bad = IMPORTS.filter((i) => i.fromDir === 'shared' && (i.toDir === null ? i.specifier !== 'zod' : i.toDir !== 'shared'));
    expect(show(bad)).toEqual([]);
  });

  it('src/shared never imports react, node: modules or socket.io (explicitly)', () => {
    const bad = IMPORTS.filter((i) => i.fromDir === 'shared' && /^(react|react-dom|node:|socket\.io)/.test(i.specifier));
    expect(show(bad)).toEqual([]);
  });

  it('the features exam, proctor and review do not import each other', () => {
    const features = new Set(['exam', 'proctor', 'review']);
    const bad = IMPORTS.filter((i) => features.has(i.fromDir) && i.toDir !== null && features.has(i.toDir) && i.toDir !== i.fromDir);
    expect(show(bad)).toEqual([]);
  });

  it('only src/server and src/cli import from src/server', () => {
    const bad = IMPORTS.filter((i) => i.toDir === 'server' && i.fromDir !== 'server' && i.fromDir !== 'cli');
    expect(show(bad)).toEqual([]);
  });

  it('src/server imports only itself, src/shared and src/detectors (never exam, proctor, review, app, stores, ui, devices, session)', () => {
    // detectors: the centre computes a reference photo's face descriptor with the browser's own detector code (rule 2.8.6).
    const bad = IMPORTS.filter((i) => i.fromDir === 'server' && i.toDir !== null && i.toDir !== 'server' && i.toDir !== 'shared' && i.toDir !== 'detectors');
    expect(show(bad)).toEqual([]);
  });

  it('browser layers import only downwards', () => {
    // Lower number = lower layer. ui (shared components, i18n) sits under the features.
    const LAYER: Record<string, number> = {
      shared: 0, proctoring: 1, detectors: 2, workers: 2, devices: 2, session: 2, stores: 3, ui: 4, exam: 5, proctor: 5, review: 5, app: 6,
    };
    const bad = IMPORTS.filter((i) => {
      const from = LAYER[i.fromDir];
      const to = i.toDir === null ? undefined : LAYER[i.toDir];
      return from !== undefined && to !== undefined && to > from;
    });
    expect(show(bad)).toEqual([]);
  });

  it('no import leaves src/', () => {
    expect(show(IMPORTS.filter((i) => i.toDir === '(outside src)'))).toEqual([]);
  });
});
