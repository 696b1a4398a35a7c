/**
 * npm run documents -- --sample --out DIR [--png [--dpi N]]
 *
 * Writes one of each document of issue 13 (violation act, protocol, document on recognition,
 * failure notice, appeal decision) in Kazakh and Russian as `<kind>.<kk|ru>.pdf` into DIR, and
 * prints each file's pages, size and sha256. With --png it also renders every page to
 * `<kind>.<lang>-<page>.png` with poppler's pdftoppm (default 60 dpi), to look at.
 * The inputs come from src/server/documents/sample-inputs.ts (to be replaced by a seeded finished
 * procedure).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { DOCUMENT_KINDS, type DocumentKind } from '../shared/documents';
import { LANGUAGES } from '../shared/languages';
import { documentSha256, renderDocument } from '../server/documents/render';
import { loadSampleEvidence, sampleDocumentInputs } from '../server/documents/sample-inputs';

const { values: args } = parseArgs({
  options: { sample: { type: 'boolean', default: false }, out: { type: 'string' }, png: { type: 'boolean', default: false }, dpi: { type: 'string', default: '60' } },
});

if (!args.sample || !args.out) {
  console.error('usage: npm run documents -- --sample --out DIR [--png [--dpi N]]');
  process.exit(2);
}
const out = path.resolve(args.out);
mkdirSync(out, { recursive: true });
const dpi = Math.max(30, Math.min(300, Number(args.dpi) || 60));

const inputs = sampleDocumentInputs(await loadSampleEvidence());
for (const kind of DOCUMENT_KINDS) {
  for (const language of LANGUAGES) {
    const started = performance.now();
    const bytes = await renderDocument(kind as DocumentKind, inputs[kind], language);
    const ms = performance.now() - started;
    const file = path.join(out, `${kind}.${language}.pdf`);
    writeFileSync(file, bytes);
    const pages = (await PDFDocument.load(bytes)).getPageCount();
    console.log(`${path.relative(process.cwd(), file)}  ${pages} p.  ${(bytes.length / 1024).toFixed(1)} KB  ${ms.toFixed(0)} ms  sha256 ${documentSha256(bytes)}`);
    if (args.png) execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, path.join(out, `${kind}.${language}`)]);
  }
}
