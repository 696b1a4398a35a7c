/** Hostile "JPEG"s for tests: bytes that look like a JPEG to a quick glance and are not a photo. */

/** SOI, a frame header claiming width x height, EOI: ~20 bytes that once made the centre allocate ~700 MB. */
export function craftedHeader(width: number, height: number): Uint8Array {
  return Uint8Array.from([
    0xff,
    0xd8,
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    0x03,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
    0xff,
    0xd9,
  ]);
}

/** The 4 bytes FF D8 FF D9 (SOI, EOI) once accepted as an identity photo. */
export const EMPTY_JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]);

/** FF D8 and then an HTML page, once stored as image/jpeg evidence. */
export const HTML_JPEG = new Uint8Array(
  Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>')]),
);
