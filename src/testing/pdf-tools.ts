/**
 * Reading PDFs back in tests with poppler-utils (pdftotext, pdffonts, pdfimages, pdftoppm), as a
 * person's viewer would: the text a viewer extracts, the fonts and whether they are embedded, the
 * images, a page as a PNG. The tools must be installed (`apt-get install poppler-utils`, .ci/run
 * does it); a missing tool fails the test, never skips it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

function withPdf<T>(bytes: Uint8Array, use: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tanu-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, bytes);
    return use(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** The text as pdftotext reads it (reading order), no-break spaces as plain spaces. */
export function pdfText(bytes: Uint8Array, pages?: { first: number; last: number }): string {
  return withPdf(bytes, (file) =>
    run('pdftotext', [...(pages ? ['-f', String(pages.first), '-l', String(pages.last)] : []), '-enc', 'UTF-8', file, '-']).replace(
      /\u00a0/g,
      ' ',
    ),
  );
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** pdffonts' table: name, type, and the emb / sub / uni columns. */
export function pdfFonts(bytes: Uint8Array): PdfFont[] {
  const lines = withPdf(bytes, (file) => run('pdffonts', [file]))
    .split('\n')
    .slice(2)
    .filter((l) => l.trim());
  return lines.map((line) => {
    const cols = line.trim().split(/\s+/);
    // name, type (one or two words), encoding, emb, sub, uni, object, id
    const [emb, sub, uni] = cols.slice(-5, -2);
    return { name: cols[0]!, type: cols.slice(1, -6).join(' '), embedded: emb === 'yes', subset: sub === 'yes', unicode: uni === 'yes' };
  });
}

export interface PdfImage {
  page: number;
  width: number;
  height: number;
  encoding: string;
}

/** pdfimages -list: each image's page, pixel size and encoding. */
export function pdfImages(bytes: Uint8Array): PdfImage[] {
  const lines = withPdf(bytes, (file) => run('pdfimages', ['-list', file]))
    .split('\n')
    .slice(2)
    .filter((l) => l.trim());
  return lines.map((line) => {
    const c = line.trim().split(/\s+/);
    return { page: Number(c[0]), width: Number(c[3]), height: Number(c[4]), encoding: c[8]! };
  });
}

export function pdfPageCount(bytes: Uint8Array): number {
  const info = withPdf(bytes, (file) => run('pdfinfo', [file]));
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** One page rendered by pdftoppm, decoded to RGBA. */
export function pdfPagePng(
  bytes: Uint8Array,
  page: number,
  dpi: number,
): { width: number; height: number; data: Uint8ClampedArray; png: Buffer } {
  return withPdf(bytes, (file, dir) => {
    execFileSync('pdftoppm', [
      '-r',
      String(dpi),
      '-png',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      file,
      path.join(dir, 'page'),
    ]);
    const png = readFileSync(path.join(dir, 'page.png'));
    const decoded = PNG.sync.read(png);
    return {
      width: decoded.width,
      height: decoded.height,
      data: new Uint8ClampedArray(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength),
      png,
    };
  });
}

export interface WordBox {
  page: number;
  pageWidth: number;
  pageHeight: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

/** Every word with its box in points (pdftotext -bbox), top-left origin. */
export function pdfWordBoxes(bytes: Uint8Array): WordBox[] {
  const html = withPdf(bytes, (file) => run('pdftotext', ['-bbox', file, '-']));
  const words: WordBox[] = [];
  let page = 0;
  let pageWidth = 0;
  let pageHeight = 0;
  for (const m of html.matchAll(
    /<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
  )) {
    if (m[1]) {
      page += 1;
      pageWidth = Number(m[1]);
      pageHeight = Number(m[2]);
      continue;
    }
    words.push({
      page,
      pageWidth,
      pageHeight,
      xMin: Number(m[3]),
      yMin: Number(m[4]),
      xMax: Number(m[5]),
      yMax: Number(m[6]),
      text: m[7]!,
    });
  }
  return words;
}

/** The centre's documents: the text of the QR code on a page, or null when none is read. */
export function pdfQr(bytes: Uint8Array, page = 1, dpi = 150): string | null {
  const image = pdfPagePng(bytes, page, dpi);
  return jsQR(image.data, image.width, image.height)?.data ?? null;
}
