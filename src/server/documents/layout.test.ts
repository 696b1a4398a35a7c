/** wrapText (the documents' line breaking) on a measure of one unit per character, and on the real font. */
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { wrapText } from './layout';

const chars = (s: string) => Array.from(s).length;

describe('wrapText', () => {
  it.each([
    ['fits on one line', 'бір екі үш', 20, ['бір екі үш']],
    ['breaks at the last space that fits', 'бір екі үш төрт', 8, ['бір екі', 'үш төрт']],
    ['a word exactly the width stays whole', 'абвгд еж', 5, ['абвгд', 'еж']],
    ['keeps explicit line breaks and blank lines', 'бір\n\nекі', 10, ['бір', '', 'екі']],
    ['collapses runs of spaces, tabs and CR', 'бір  \t екі\r\nүш', 20, ['бір екі', 'үш']],
    ['splits a word longer than the line where it fills it', '9f2c4b7a1e0d', 5, ['9f2c4', 'b7a1e', '0d']],
    ['a long word after short ones starts its own line', 'ab 0123456789', 4, ['ab', '0123', '4567', '89']],
    ['never breaks at a no-break space', 'стр. 76,7\u00a0% бар', 9, ['стр.', '76,7\u00a0%', 'бар']],
    ['an empty text is one empty line', '', 10, ['']],
  ])('%s', (_name, text, width, lines) => {
    expect(wrapText(text, width, chars)).toEqual(lines);
  });

  it('on random texts: no line wider than the width unless a single character is, and no word lost or reordered', () => {
    const words = ['ә', 'қазақ', 'тілі', 'Сейтқали', 'Айгерім', '0123456789abcdef0123', 'электромонтер', '—', '№\u00a017'];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const text = Array.from({ length: 1 + Math.floor(rand() * 30) }, () => words[Math.floor(rand() * words.length)]).join(' ');
      const width = 3 + Math.floor(rand() * 25);
      const lines = wrapText(text, width, chars);
      for (const line of lines) expect(chars(line)).toBeLessThanOrEqual(width);
      expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
  });

  it('with DejaVu Sans at 10 pt, each line of a Kazakh paragraph fits 200 pt and the next word would not', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const font = await doc.embedFont(readFileSync(new URL('./fonts/DejaVuSans.ttf', import.meta.url)), { subset: true });
    const measure = (s: string) => font.widthOfTextAtSize(s, 10);
    const text =
      'Емтихан комиссиясы Қағидалардың 14-тармағына сәйкес Қағидалардың 13-тармағында белгіленген жағдайда тіркелген бұзушылық туралы осы актіні жасады.';
    const lines = wrapText(text, 200, measure);
    expect(lines.length).toBeGreaterThan(2);
    lines.forEach((line, i) => {
      expect(measure(line)).toBeLessThanOrEqual(200);
      const next = lines[i + 1]?.split(' ')[0];
      if (next) expect(measure(`${line} ${next}`)).toBeGreaterThan(200);
    });
  });
});
