/**
 * `npm run documents -- --sample` from a seeded finished procedure. The CLI's function runs a real
 * centre in-process through a passed, a failed and a terminated exam and the commission's protocol and
 * signatures, and writes each stored PDF in Kazakh and Russian; the files are read back with poppler.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS } from '../shared/documents';
import { DEMO_CANDIDATE } from '../server/seed';
import { pdfFonts, pdfPageCount, pdfQr, pdfText } from '../testing/pdf-tools';
import { writeSeededDocuments, type WrittenDocument } from './seeded-documents';

let out: string;
let written: WrittenDocument[];
beforeAll(async () => {
  out = mkdtempSync(path.join(os.tmpdir(), 'tanu-docs-'));
  written = await writeSeededDocuments(out);
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const SERIAL = /\b43210-74110001-4-140426-0001-00000001\b/;

describe('writeSeededDocuments', () => {
  it('writes every kind in kk and ru, the four the centre issues read from the procedure', () => {
    expect(written.map((w) => path.basename(w.file)).sort()).toEqual(DOCUMENT_KINDS.flatMap((k) => [`${k}.kk.pdf`, `${k}.ru.pdf`]).sort());
    for (const w of written) {
      expect(existsSync(w.file)).toBe(true);
      expect(new Uint8Array(readFileSync(w.file))).toEqual(w.bytes);
      expect(w.source).toBe(w.kind === 'appeal-decision' ? 'sample' : 'procedure');
    }
  });

  it('each file is a PDF with its fonts embedded and the Kazakh ones carry the Kazakh letters', () => {
    for (const w of written) {
      expect(Buffer.from(w.bytes.subarray(0, 5)).toString('latin1'), w.file).toBe('%PDF-');
      expect(pdfPageCount(w.bytes)).toBeGreaterThanOrEqual(1);
      const fonts = pdfFonts(w.bytes);
      expect(fonts.length, w.file).toBeGreaterThan(0);
      expect(
        fonts.every((f) => f.embedded),
        w.file,
      ).toBe(true);
      const text = pdfText(w.bytes);
      if (w.language === 'kk') expect(text, w.file).toMatch(/[әғқңөұүһі]/);
    }
  });

  it('the procedure’s documents name the seeded candidate; the document on recognition has the first serial number and its QR', () => {
    for (const w of written.filter((x) => x.source === 'procedure')) expect(pdfText(w.bytes), w.file).toContain(DEMO_CANDIDATE.surname);
    for (const language of ['kk', 'ru'] as const) {
      const doc = written.find((w) => w.kind === 'recognition' && w.language === language)!;
      const text = pdfText(doc.bytes);
      expect(text).toMatch(SERIAL);
      expect(text).not.toContain(DEMO_CANDIDATE.iin); // the document leaves the centre: never the IIN
      expect(pdfQr(doc.bytes)).toMatch(/\/verify\/43210-74110001-4-140426-0001-00000001$/);
    }
    // The protocol of the passed exam states its register number; the act is of the terminated exam (rule 14).
    expect(pdfText(written.find((w) => w.kind === 'protocol' && w.language === 'ru')!.bytes)).toContain('2026-000001');
    expect(pdfText(written.find((w) => w.kind === 'violation-act' && w.language === 'ru')!.bytes)).toMatch(/14/);
  });
});
