import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { craftedHeader, EMPTY_JPEG, HTML_JPEG } from '../testing/crafted-jpeg';
import { FIXTURE_DIR } from '../testing/mjpeg';
import { MAX_IMAGE_PIXELS, readJpegHeader } from './jpeg-header';

describe('readJpegHeader', () => {
  it('reads the size of a real photo (reference.jpg is 480x640)', () => {
    expect(readJpegHeader(readFileSync(path.join(FIXTURE_DIR, 'reference.jpg')))).toEqual({ ok: true, width: 480, height: 640 });
  });

  it('refuses a header that says 4096x4096 before anything is decoded', () => {
    const r = readJpegHeader(craftedHeader(4096, 4096));
    expect(r).toMatchObject({ ok: false, code: 'too_large' });
    expect(readJpegHeader(craftedHeader(2048, 2048))).toEqual({ ok: true, width: 2048, height: 2048 });
    expect(readJpegHeader(craftedHeader(2049, 2048))).toMatchObject({ ok: false, code: 'too_large' });
    expect(2048 * 2048).toBe(MAX_IMAGE_PIXELS);
  });

  it('refuses what is not a JPEG: 4 bytes FF D8 FF D9, FF D8 + HTML, a truncated segment, a zero size', () => {
    expect(readJpegHeader(EMPTY_JPEG)).toMatchObject({ ok: false, code: 'invalid' });
    expect(readJpegHeader(HTML_JPEG)).toMatchObject({ ok: false, code: 'invalid' });
    expect(readJpegHeader(craftedHeader(640, 480).subarray(0, 8))).toMatchObject({ ok: false, code: 'invalid' });
    expect(readJpegHeader(craftedHeader(0, 480))).toMatchObject({ ok: false, code: 'invalid' });
    expect(readJpegHeader(new Uint8Array())).toMatchObject({ ok: false, code: 'invalid' });
  });
});
