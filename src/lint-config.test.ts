/**
 * The lint rules (.ci/eslint.config.js) catch what they are there for: each probe below is a made-up
 * file, linted under a name in the folder it pretends to be in, that breaks one rule. A config
 * that stopped loading a plugin or a zone would let its probe pass, and this test fail.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
let eslint: ESLint;

beforeAll(async () => {
  eslint = new ESLint({ cwd: ROOT, overrideConfigFile: '.ci/eslint.config.js' });
  await eslint.lintText('export {};\n', { filePath: `${ROOT}src/lint-probe.ts` }); // the first run reads the project's types
}, 120_000);

/** The rules the probe breaks, as "rule: message" (message cut short). */
async function broken(folder: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}src/${folder}${folder ? '/' : ''}lint-probe.ts` });
  return result!.messages.map((m) => `${m.ruleId ?? 'parser'}: ${m.message.slice(0, 60)}`);
}
const rules = async (folder: string, code: string) => (await broken(folder, code)).map((m) => m.split(':')[0]);

describe('lint rules', () => {
  it('a clean file passes', async () => {
    expect(await broken('exam', "import { clamp01 } from '../proctoring/box';\nexport const half = clamp01(0.5);\n")).toEqual([]);
  });

  it('promises: a floating one and one where a plain callback is expected', async () => {
    expect(await rules('exam', 'export async function f(): Promise<number> {\n  return 1;\n}\nf();\n')).toEqual([
      '@typescript-eslint/no-floating-promises',
    ]);
    expect(
      await rules('exam', 'export function g(run: () => void) {\n  run();\n}\ng(async () => {\n  await Promise.resolve();\n});\n'),
    ).toEqual(['@typescript-eslint/no-misused-promises']);
    expect(await rules('exam', 'export async function f(): Promise<number> {\n  return 1;\n}\nvoid f();\n')).toEqual([]);
  });

  it('React hooks: called conditionally, and an effect missing what it reads', async () => {
    const conditional =
      "import { useState } from 'react';\nexport function C(p: { on: boolean }) {\n  if (p.on) useState(0);\n  return null;\n}\n";
    expect(await rules('exam', conditional)).toEqual(['react-hooks/rules-of-hooks']);
    const missing =
      "import { useEffect } from 'react';\nexport function C(p: { n: number }) {\n  useEffect(() => console.log(p.n), []);\n  return null;\n}\n";
    expect(await rules('exam', missing)).toEqual(['react-hooks/exhaustive-deps']);
  });

  it('layers: nothing imports upwards, features not each other, the centre stays apart, nothing leaves src/', async () => {
    const zone = 'import-x/no-restricted-paths';
    expect(await rules('shared', "export { clamp01 } from '../proctoring/box';\n")).toEqual([zone]);
    expect(await rules('stores', "export { createCandidateRuntime } from '../exam/candidate-runtime';\n")).toEqual([zone]);
    expect(await rules('exam', "export { ProctorDashboard } from '../proctor/ProctorDashboard';\n")).toEqual([zone]);
    expect(await rules('ui', "export { createCentreServer } from '../server/centre-server';\n")).toEqual([zone]);
    expect(await rules('server', "export { examStore } from '../stores/exam-store';\n")).toEqual([zone]);
    expect(await rules('exam', "export { CandidatePage } from '../../e2e/support/pages';\n")).toEqual([zone]);
    // The centre may share src/shared and the detectors; the admin console composes other staff pages.
    expect(await rules('server', "export { FaceDetector } from '../detectors/face-detector';\n")).toEqual([]);
    expect(await rules('admin', "export { CommissionApp } from '../commission/CommissionApp';\n")).toEqual([]);
  });

  it('src/shared takes no package but zod: no React, no Node, no socket.io', async () => {
    expect(await rules('shared', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([]);
    for (const pkg of ['react', 'node:fs', 'socket.io-client']) {
      expect(await rules('shared', `import * as m from '${pkg}';\nexport const x = m;\n`), pkg).toEqual(['no-restricted-imports']);
    }
  });
});
