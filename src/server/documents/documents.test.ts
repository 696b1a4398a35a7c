/**
 * The five documents of the paper trail read back as a person's viewer reads them (poppler-utils):
 * the text holds the candidate's name, the rule numbers, the Kazakh letters and the serial
 * number; every font is embedded; the QR code on the rendered page decodes to the verification
 * address; no word of English; no word outside the page's margins; the evidence snapshot is in
 * the act; the same input gives the same bytes.
 */
import { createHash } from 'node:crypto';
import jsQR from 'jsqr';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS, type DocumentInputs, type DocumentKind, type DocumentLanguage } from '../../shared/documents';
import { LANGUAGES } from '../../shared/languages';
import { pdfFonts, pdfImages, pdfPageCount, pdfPagePng, pdfText, pdfWordBoxes } from '../../testing/pdf-tools';
import { A4, MARGIN } from './layout';
import { documentSha256, renderDocument } from './render';
import { loadSampleEvidence, sampleDocumentInputs } from './sample-inputs';

const KAZAKH_LETTERS = ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і'];

let inputs: DocumentInputs;
const files = new Map<string, Uint8Array>();
const key = (kind: DocumentKind, language: DocumentLanguage) => `${kind}.${language}`;
const file = (kind: DocumentKind, language: DocumentLanguage) => files.get(key(kind, language))!;

beforeAll(async () => {
  inputs = sampleDocumentInputs(await loadSampleEvidence());
  for (const kind of DOCUMENT_KINDS) {
    for (const language of LANGUAGES) files.set(key(kind, language), await renderDocument(kind, inputs[kind] as never, language));
  }
});

/** Whose name the document carries. */
function personOf(kind: DocumentKind): string {
  const input = inputs[kind];
  return 'candidate' in input ? input.candidate.fullName : input.holder.fullName;
}

/** The rules each document cites (docs/rules.md numbering). */
const RULES_CITED: Record<DocumentKind, number[]> = {
  'violation-act': [12, 13, 14],
  protocol: [12, 15, 16, 17, 18],
  recognition: [18],
  'failure-notice': [15, 19, 20],
  'appeal-decision': [18, 21, 22, 23],
};

/** "пункт 14 Правил", "пунктом 14", "пункты 12–14"; "14-тармағы", "12–14-тармақтары". */
function citesRule(text: string, language: DocumentLanguage, n: number): boolean {
  const re = language === 'ru' ? new RegExp(`пункт[а-я]*\\s+(?:\\d+–)?${n}(?![\\d.])`) : new RegExp(`(?<![\\d.])${n}-тарма[қғ]`);
  return re.test(text);
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe.each(DOCUMENT_KINDS)('%s', (kind) => {
  it.each(LANGUAGES)('%s: the text holds the name, the rules it rests on and its number', (language) => {
    const text = flat(pdfText(file(kind, language)));
    expect(text).toContain(personOf(kind));
    for (const n of RULES_CITED[kind]) expect(citesRule(text, language, n), `rule ${n} in ${kind}.${language}`).toBe(true);
    const input = inputs[kind];
    const number =
      'serialNumber' in input
        ? input.serialNumber
        : 'actNumber' in input
          ? input.actNumber
          : 'protocolNumber' in input
            ? input.protocolNumber
            : 'noticeNumber' in input
              ? input.noticeNumber
              : input.appealNumber;
    expect(text).toContain(number);
  });

  it('kk: every Kazakh letter is on the page as text; ru: the Russian words', () => {
    const kk = pdfText(file(kind, 'kk'));
    for (const letter of KAZAKH_LETTERS) expect(kk, letter).toContain(letter);
    expect(kk).toMatch(/Қағидалар/);
    const ru = pdfText(file(kind, 'ru'));
    expect(ru).toMatch(/Правил/);
    expect(ru).not.toMatch(/Қағидалар/);
  });

  it.each(LANGUAGES)('%s: DejaVu Sans regular and bold, both embedded as Unicode-mapped TrueType', (language) => {
    const fonts = pdfFonts(file(kind, language));
    expect(fonts.map((f) => f.name.replace(/-\d+$/, '')).sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
    for (const font of fonts) {
      expect(font.embedded, font.name).toBe(true);
      expect(font.unicode, font.name).toBe(true);
      expect(font.type).toBe('CID TrueType');
    }
  });

  it.each(LANGUAGES)("%s: no English on the page (Latin only in the input's own codes: hash, session, address)", (language) => {
    const input = inputs[kind];
    const own = [
      'log' in input ? input.log.headHash : '',
      'sessionId' in input ? input.sessionId : '',
      'verificationUrl' in input ? input.verificationUrl : '',
    ].filter(Boolean);
    const allowed = new Set(['QR', 'SHA-256', 'UTC']);
    const latin = (pdfText(file(kind, language)).match(/[A-Za-z0-9_.:/+-]*[A-Za-z][A-Za-z0-9_.:/+-]*/g) ?? []).map((t) =>
      t.replace(/^[-.:]+|[-.:]+$/g, ''),
    );
    const foreign = latin.filter((t) => !allowed.has(t) && !/^UTC[+-]\d\d:\d\d$/.test(t) && !own.some((o) => o.includes(t)));
    expect(foreign).toEqual([]);
  });

  it.each(LANGUAGES)('%s: A4, every word inside the margins', (language) => {
    const words = pdfWordBoxes(file(kind, language));
    expect(words.length).toBeGreaterThan(50);
    for (const w of words) {
      expect([Math.round(w.pageWidth), Math.round(w.pageHeight)]).toEqual([595, 842]);
      expect(w.xMin, w.text).toBeGreaterThanOrEqual(MARGIN.left - 0.5);
      expect(w.xMax, w.text).toBeLessThanOrEqual(A4.width - MARGIN.right + 0.5);
      expect(w.yMin, w.text).toBeGreaterThanOrEqual(MARGIN.top - 2);
      expect(w.yMax, w.text).toBeLessThanOrEqual(A4.height - MARGIN.bottom + 36);
    }
  });
});

describe('the document on recognition (Appendix 2)', () => {
  it.each(LANGUAGES)('%s: the QR code on the page, rendered at 150 dpi, decodes to the verification address', (language) => {
    const page = pdfPagePng(file('recognition', language), 1, 150);
    const code = jsQR(page.data, page.width, page.height);
    expect(code?.data).toBe(inputs.recognition.verificationUrl);
  });

  it.each(LANGUAGES)('%s: one page, with the profession, the NQF level and no IIN', (language) => {
    const bytes = file('recognition', language);
    expect(pdfPageCount(bytes)).toBe(1);
    const text = flat(pdfText(bytes));
    expect(text).toContain(inputs.recognition.programme.profession[language]);
    expect(text).toContain(inputs.protocol.candidate.fullName);
    expect(text).not.toContain(inputs.protocol.candidate.iin);
    expect(text).toContain(language === 'kk' ? 'берілді және оның' : 'Выдан');
  });

  it('the failure notice leaves the IIN off too; the act and the protocol carry it', () => {
    for (const language of LANGUAGES) {
      expect(pdfText(file('failure-notice', language))).not.toContain(inputs['appeal-decision'].candidate.iin);
      expect(pdfText(file('violation-act', language))).toContain(inputs['violation-act'].candidate.iin);
      expect(pdfText(file('protocol', language))).toContain(inputs.protocol.candidate.iin);
    }
  });
});

describe('the violation act (rule 14)', () => {
  it('embeds the evidence snapshot as the JPEG it is (640×480 from the fixture)', () => {
    const images = pdfImages(file('violation-act', 'ru'));
    expect(images).toEqual([{ page: 1, width: 640, height: 480, encoding: 'jpeg' }]);
  });

  it('prints the log head hash, its check, the warning and both decisions', () => {
    const text = flat(pdfText(file('violation-act', 'ru'))).replace(/\s/g, '');
    expect(text).toContain(inputs['violation-act'].log.headHash);
    const ru = flat(pdfText(file('violation-act', 'ru')));
    expect(ru).toContain('целостность подтверждена');
    expect(ru).toContain('автоматически, системой онлайн-прокторинга');
    expect(ru).toContain('Решение проктора нарушение подтверждено');
    expect(ru).toContain('0:14:25');
    expect(ru).toContain('05.01.2026, 11:14:37');
  });
});

describe('files', () => {
  it('the same input gives the same bytes, so the sha256 in the log can be checked again later', async () => {
    const again = await renderDocument('protocol', inputs.protocol, 'kk');
    expect(documentSha256(again)).toBe(documentSha256(file('protocol', 'kk')));
    expect(documentSha256(again)).toBe(createHash('sha256').update(again).digest('hex'));
    expect(documentSha256(file('protocol', 'ru'))).not.toBe(documentSha256(file('protocol', 'kk')));
  });

  it('are small: fonts subset, under 100 KB each with a snapshot', () => {
    for (const bytes of files.values()) expect(bytes.length).toBeLessThan(100 * 1024);
  });
});
