/**
 * npm run documents -- --sample --out DIR [--png [--dpi N]]
 *
 * Writes one of each document of the paper trail (violation act, protocol, document on recognition,
 * failure notice, appeal decision) in Kazakh and Russian as `<kind>.<kk|ru>.pdf` into DIR, and
 * prints each file's pages, size and sha256. With --png it also renders every page to
 * `<kind>.<lang>-<page>.png` with poppler's pdftoppm (default 60 dpi), to look at.
 * The documents come from a seeded finished procedure run on a real centre in-process
 * (seeded-documents.ts); the appeal decision from sample-inputs.ts until the appeals routes exist.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { documentSha256 } from '../server/documents/render';
import { writeSeededDocuments } from './seeded-documents';

const { values: args } = parseArgs({
  options: {
    sample: { type: 'boolean', default: false },
    out: { type: 'string' },
    png: { type: 'boolean', default: false },
    dpi: { type: 'string', default: '60' },
  },
});

if (!args.sample || !args.out) {
  console.error('usage: npm run documents -- --sample --out DIR [--png [--dpi N]]');
  process.exit(2);
}
const out = path.resolve(args.out);
const dpi = Math.max(30, Math.min(300, Number(args.dpi) || 60));

const started = performance.now();
const written = await writeSeededDocuments(out);
console.log(`seeded procedure run and documents read back in ${(performance.now() - started).toFixed(0)} ms`);
for (const { kind, language, file, bytes, source } of written) {
  const pages = (await PDFDocument.load(bytes)).getPageCount();
  console.log(
    `${path.relative(process.cwd(), file)}  ${pages} p.  ${(bytes.length / 1024).toFixed(1)} KB  ${source}  sha256 ${documentSha256(bytes)}`,
  );
  if (args.png) execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, path.join(out, `${kind}.${language}`)]);
}
process.exit(0);
