/**
 * Real frames for the detector tests: the fake-camera MJPEG clips (raw concatenated baseline
 * JPEGs, played at 30 fps, so frame n is shown at n/30 s) cut on the JPEG markers and decoded
 * with jpeg-js. Node only (tests and CLIs).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';

export const FIXTURE_DIR = fileURLToPath(new URL('../../e2e/fixtures/', import.meta.url));
export const MJPEG_FPS = 30;

/** An RGBA image as decoded (the layout of ImageData, so tf.browser.fromPixels takes it). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Byte offsets [start, end) of every JPEG in a concatenated MJPEG buffer (SOI FFD8 … EOI FFD9). */
export function splitJpegs(buf: Uint8Array): Array<[number, number]> {
  const frames: Array<[number, number]> = [];
  let i = 0;
  const n = buf.length;
  while (i + 1 < n) {
    if (buf[i] !== 0xff || buf[i + 1] !== 0xd8) {
      i++;
      continue;
    }
    const start = i;
    i += 2;
    // Walk the marker segments up to SOS, then scan the entropy-coded data for EOI
    // (inside it 0xFF is always followed by 0x00 or a restart marker, never 0xD9).
    let end = -1;
    while (i + 3 < n && end < 0) {
      if (buf[i] !== 0xff) throw new Error(`bad JPEG marker at byte ${i}`);
      const marker = buf[i + 1]!;
      if (marker === 0xff) {
        i++; // fill byte
        continue;
      }
      const len = (buf[i + 2]! << 8) | buf[i + 3]!;
      i += 2 + len;
      if (marker !== 0xda) continue;
      while (i + 1 < n) {
        if (buf[i] === 0xff && buf[i + 1] === 0xd9) {
          end = i + 2;
          break;
        }
        i++;
      }
    }
    if (end < 0) break; // truncated last frame
    frames.push([start, end]);
    i = end;
  }
  return frames;
}

/** One MJPEG clip, indexed once, decoding frames on demand. */
export class MjpegClip {
  readonly frames: Array<[number, number]>;
  private readonly buf: Buffer;

  constructor(readonly file: string) {
    this.buf = readFileSync(path.isAbsolute(file) ? file : path.join(FIXTURE_DIR, file));
    this.frames = splitJpegs(this.buf);
    if (this.frames.length === 0) throw new Error(`${file}: no JPEG frames`);
  }

  get durationSec(): number {
    return this.frames.length / MJPEG_FPS;
  }

  /** The raw JPEG bytes of frame n. */
  jpegAt(n: number): Uint8Array {
    const range = this.frames[n];
    if (!range) throw new Error(`${this.file}: no frame ${n} (has ${this.frames.length})`);
    return this.buf.subarray(range[0], range[1]);
  }

  frame(n: number): RgbaImage {
    const img = jpeg.decode(this.jpegAt(n), { useTArray: true, formatAsRGBA: true });
    return { width: img.width, height: img.height, data: img.data };
  }

  /** The frame shown at t seconds. */
  frameAt(sec: number): RgbaImage {
    return this.frame(Math.min(this.frames.length - 1, Math.round(sec * MJPEG_FPS)));
  }
}
