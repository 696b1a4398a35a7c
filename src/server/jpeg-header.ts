/**
 * The size of a JPEG read from its frame header (SOFn), before anything is decoded:
 * a 765-byte file whose header says 4096x4096 made the decoder allocate ~700 MB and hold the
 * event loop for 7 s. The centre reads width and height here and refuses an image over the pixel
 * cap, then decodes (in the face worker) only what passed. Pure: no decoding, no allocation.
 */

/** The largest image the centre decodes, in pixels (~4 MP; a 2048x2048 photo is the most). */
export const MAX_IMAGE_PIXELS = 2048 * 2048;

export type JpegHeader = { ok: true; width: number; height: number } | { ok: false; code: 'invalid' | 'too_large'; reason: string };

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Width and height from the first SOF segment, walking the marker segments from SOI; refuses over `maxPixels`. */
export function readJpegHeader(bytes: Uint8Array, maxPixels = MAX_IMAGE_PIXELS): JpegHeader {
  const bad = (reason: string): JpegHeader => ({ ok: false, code: 'invalid', reason });
  if (bytes.byteLength < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return bad('not a JPEG image (no SOI marker)');
  let i = 2;
  while (i + 4 <= bytes.byteLength) {
    if (bytes[i] !== 0xff) return bad(`not a JPEG image (no marker at byte ${i})`);
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return bad('not a JPEG image (no frame header before the image data)');
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (length < 2 || i + 2 + length > bytes.byteLength) return bad('not a JPEG image (a segment runs past the end)');
    if (SOF_MARKERS.has(marker)) {
      if (length < 8) return bad('not a JPEG image (short frame header)');
      const height = (bytes[i + 5]! << 8) | bytes[i + 6]!;
      const width = (bytes[i + 7]! << 8) | bytes[i + 8]!;
      if (width === 0 || height === 0) return bad('not a JPEG image (zero width or height)');
      if (width * height > maxPixels) {
        return {
          ok: false,
          code: 'too_large',
          reason: `the image is ${width}x${height} pixels; at most ${maxPixels} pixels (e.g. 2048x2048) are accepted`,
        };
      }
      return { ok: true, width, height };
    }
    i += 2 + length;
  }
  return bad('not a JPEG image (no frame header)');
}
