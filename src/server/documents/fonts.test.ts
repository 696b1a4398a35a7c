/**
 * The fonts: every letter the documents need has a glyph, and the subset pdf-lib embeds draws
 * exactly what the whole font draws. @pdf-lib/fontkit 1.1.1's subsetter is known to corrupt some
 * fonts' glyphs (Hopding/pdf-lib#494, #1232: blank or wrong letters, no error), so this is checked
 * on the rendered page, pixel for pixel, for both alphabets in both weights.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { pdfPagePng } from '../../testing/pdf-tools';
import { FONT_FILES } from './blocks';

const fontBytes = (name: string) => readFileSync(new URL(`./fonts/${name}`, import.meta.url));
const KAZAKH = 'әғқңөұүһі ӘҒҚҢӨҰҮҺІ';
const RUSSIAN = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ';
const SIGNS = '№«»—–·0123456789.,:;()%\u00a0';

async function alphabetPage(subset: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const page = doc.addPage([595.28, 841.89]);
  let y = 800;
  for (const file of [FONT_FILES.regular, FONT_FILES.bold]) {
    const font = await doc.embedFont(fontBytes(file), { subset });
    for (const [text, size] of [
      [KAZAKH, 28],
      [RUSSIAN.slice(0, 33), 16],
      [RUSSIAN.slice(34), 16],
      [SIGNS, 16],
      ['Сейтқали Айгерім Жаһанқызы', 12],
    ] as const) {
      page.drawText(text, { x: 30, y, size, font });
      y -= size * 1.6;
    }
  }
  return doc.save();
}

describe('document fonts', () => {
  it.each([FONT_FILES.regular, FONT_FILES.bold])('%s has a glyph for every Kazakh and Russian letter and sign', (file) => {
    const font = fontkit.create(fontBytes(file));
    const missing = Array.from(KAZAKH + RUSSIAN + SIGNS).filter((ch) => ch !== ' ' && !font.hasGlyphForCodePoint(ch.codePointAt(0)!));
    expect(missing).toEqual([]);
  });

  it('the embedded subset draws the same pixels as the whole font', async () => {
    const [subset, whole] = await Promise.all([alphabetPage(true), alphabetPage(false)]);
    expect(subset.length).toBeLessThan(whole.length / 10);
    const a = pdfPagePng(subset, 1, 100);
    const b = pdfPagePng(whole, 1, 100);
    let inked = 0;
    for (let i = 0; i < a.data.length; i += 4) if (a.data[i]! < 128) inked++;
    expect(inked).toBeGreaterThan(5000);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });

  it('the files are the ones fonts/README.md records', () => {
    const readme = readFileSync(new URL('./fonts/README.md', import.meta.url), 'utf8');
    for (const file of Object.values(FONT_FILES)) {
      const sha = createHash('sha256').update(fontBytes(file)).digest('hex');
      expect(readme).toContain(`| \`${file}\` | 2.37 | \`${sha}\` |`);
    }
  });
});
