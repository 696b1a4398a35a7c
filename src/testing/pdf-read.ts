/**
 * Reading a PDF back in tests (issue 13): its text with poppler's pdftotext, and the QR code of its first
 * page rendered with pdftoppm and decoded with jsQR. poppler-utils is a test dependency (apt-get install
 * poppler-utils); a missing tool fails the test, never skips it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

export function pdfText(bytes: Uint8Array): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: Buffer.from(bytes), maxBuffer: 16 * 1024 * 1024 }).toString('utf8');
}

/** The text of the first QR code on page 1, or null when none is found. */
export function pdfQr(bytes: Uint8Array, dpi = 150): string | null {
  // pdftoppm writes its pages to files only (poppler 22): a folder of our own, removed after.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tanu-pdf-'));
  try {
    execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', '-', path.join(dir, 'page')], { input: Buffer.from(bytes) });
    return decodeQr(PNG.sync.read(readFileSync(path.join(dir, 'page.png'))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function decodeQr(image: PNG): string | null {
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height)?.data ?? null;
}
