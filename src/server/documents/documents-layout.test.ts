/**
 * The documents beyond the sample: the other branches of each (not admitted, rejected, ended for a
 * violation, no limit of validity, a broken log) and long inputs that must paginate (many
 * violations with snapshots, a long technological map, many topics, a long appeal), read back with
 * poppler: the words are there, on the pages they belong to, inside the margins.
 */
import jsQR from 'jsqr';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentInputs } from '../../shared/documents';
import { pdfImages, pdfPageCount, pdfPagePng, pdfText, pdfWordBoxes } from '../../testing/pdf-tools';
import { A4, MARGIN } from './layout';
import { renderDocument } from './render';
import { loadSampleEvidence, sampleDocumentInputs } from './sample-inputs';

let sample: DocumentInputs;
beforeAll(async () => {
  sample = sampleDocumentInputs(await loadSampleEvidence());
});

const flat = (text: string) => text.replace(/\s+/g, ' ');
const all = (pages: string[]) => pages.join(' ');

function expectInsideMargins(bytes: Uint8Array): void {
  for (const w of pdfWordBoxes(bytes)) {
    expect(w.xMin, w.text).toBeGreaterThanOrEqual(MARGIN.left - 0.5);
    expect(w.xMax, w.text).toBeLessThanOrEqual(A4.width - MARGIN.right + 0.5);
    expect(w.yMin, w.text).toBeGreaterThanOrEqual(MARGIN.top - 2);
    expect(w.yMax, w.text).toBeLessThanOrEqual(A4.height - MARGIN.bottom + 36);
  }
}

/** Each page's text, and the footer's "page k of n" on each. */
function pagesOf(bytes: Uint8Array, footer: (k: number, n: number) => string): string[] {
  const n = pdfPageCount(bytes);
  return Array.from({ length: n }, (_, i) => {
    const text = flat(pdfText(bytes, { first: i + 1, last: i + 1 }));
    expect(text).toContain(footer(i + 1, n));
    return text;
  });
}

describe('branches', () => {
  it('protocol, not admitted (21 of 30 is exactly 70 %): failed, no practical stage, the notice and appeal follow', async () => {
    const input = { ...sample.protocol, theory: { correct: 21, total: 30 }, practical: null, violations: [], decision: 'failed' as const };
    const ru = flat(pdfText(await renderDocument('protocol', input, 'ru')));
    expect(ru).toContain('21 из 30 (70 %)');
    expect(ru).toContain('не допущен(а) к практическому этапу');
    expect(ru).toContain('Кандидат не допускался к практическому этапу.');
    expect(ru).toContain('Нарушений не зафиксировано.');
    expect(ru).toContain('Кандидат не прошёл процедуру');
    expect(ru).toMatch(/пункт 19 Правил.*пункт 20 Правил/);
    const kk = flat(pdfText(await renderDocument('protocol', input, 'kk')));
    expect(kk).toContain('жалпы 30 сұрақтан 21 (70%)');
    expect(kk).toContain('рәсімінен өткен жоқ');
  });

  it("appeal rejected: the commission's decision stands, no document is promised", async () => {
    const input = { ...sample['appeal-decision'], decision: 'rejected' as const, documentDueBy: null };
    const ru = flat(pdfText(await renderDocument('appeal-decision', input, 'ru')));
    expect(ru).toContain('Апелляция оставлена без удовлетворения.');
    expect(ru).toContain('Решение экзаменационной комиссии остаётся в силе.');
    expect(ru).not.toContain('пунктом 23');
    const kk = flat(pdfText(await renderDocument('appeal-decision', input, 'kk')));
    expect(kk).toContain('Апелляция қанағаттандырусыз қалдырылды.');
  });

  it('failure notice after an end for a violation, with no topics to recommend', async () => {
    const input = {
      ...sample['failure-notice'],
      theory: { correct: 9, total: 30 },
      practical: null,
      endedForViolation: true,
      recommendations: [],
    };
    const ru = flat(pdfText(await renderDocument('failure-notice', input, 'ru')));
    expect(ru).toContain('правильных ответов: 9 из 30 (30 %)');
    expect(ru).toContain('Процедура завершена за нарушение (пункты 13–14 Правил).');
    expect(ru).toContain('Практический этап не проводился');
    expect(ru).toContain('Ошибочных ответов в теоретическом этапе нет');
    expect(ru).toContain('Последний день подачи: 15 января 2026 г.');
  });

  it('recognition without a limit of validity, and a QR of a long e-government address', async () => {
    const url = 'https://egov.kz/cms/ru/services/verify-qualification?number=43210-74110001-4-050126-0001-00000017&lang=kk&source=qr';
    const input = { ...sample.recognition, validUntil: null, verificationUrl: url };
    const bytes = await renderDocument('recognition', input, 'kk');
    expect(flat(pdfText(bytes))).toContain('Қолданылу мерзімі мерзімсіз');
    const page = pdfPagePng(bytes, 1, 150);
    expect(jsQR(page.data, page.width, page.height)?.data).toBe(url);
    expectInsideMargins(bytes);
  });

  it('recognition with a long name and a long profession: set compactly, still one page, the QR still reads', async () => {
    const input = {
      ...sample.recognition,
      holder: { fullName: 'Сейтқали-Жаһаншаева Айгерім-Гүлнәр Нұрланқызы Өмірзақ Әбілқайырқызы' },
      programme: {
        ...sample.recognition.programme,
        profession: {
          kk: 'Электр станциялары мен қосалқы станциялардың электр жабдықтарына, релелік қорғанысына және автоматикасына қызмет көрсету жөніндегі электромонтер',
          ru: 'Электромонтёр по обслуживанию электрооборудования, релейной защиты и автоматики электростанций и подстанций высокого напряжения',
        },
      },
    };
    for (const language of ['kk', 'ru'] as const) {
      const bytes = await renderDocument('recognition', input, language);
      expect(pdfPageCount(bytes)).toBe(1);
      expect(flat(pdfText(bytes))).toContain(input.programme.profession[language]);
      const page = pdfPagePng(bytes, 1, 150);
      expect(jsQR(page.data, page.width, page.height)?.data).toBe(input.verificationUrl);
      expectInsideMargins(bytes);
    }
  });

  it('act: ended by the proctor, no snapshot or recording, no reviewer yet, and a log that failed its check', async () => {
    const act = sample['violation-act'];
    const input = {
      ...act,
      violations: [{ ...act.violations[0]!, snapshotJpeg: null, recordingOffsetMs: null }],
      termination: { at: act.violations[0]!.at + 60_000, by: { kind: 'staff' as const, fullName: 'Тоқтарова Әсел Маратқызы' } },
      reviewerDecision: null,
      log: { ...act.log, verified: false },
    };
    const bytes = await renderDocument('violation-act', input, 'ru');
    const ru = flat(pdfText(bytes));
    expect(ru).toContain('снимок не сохранён');
    expect(ru).toContain('записи нет');
    expect(ru).toContain('05.01.2026, 11:15:37, проктор Тоқтарова Әсел Маратқызы');
    expect(ru).toContain('Заключение проверяющего решения нет');
    expect(ru).toContain('ПРОВЕРКА НЕ ПРОЙДЕНА');
    expect(pdfImages(bytes)).toEqual([]);
  });
});

describe('long inputs paginate', () => {
  it('an act with nine violations, each with its snapshot: each block whole on one page, footers count the pages', async () => {
    const act = sample['violation-act'];
    const violations = Array.from({ length: 9 }, (_, i) => ({
      ...act.violations[0]!,
      at: act.violations[0]!.at + i * 61_000,
      description: { kk: `Бұзушылық ${i + 1}: кадрда ұялы телефон`, ru: `Нарушение ${i + 1}: телефон в кадре` },
    }));
    const bytes = await renderDocument('violation-act', { ...act, violations }, 'ru');
    const pages = pagesOf(bytes, (k, n) => `стр. ${k} из ${n}`);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pdfImages(bytes)).toHaveLength(9);
    violations.forEach((v, i) => {
      const page = pages.find((p) => p.includes(`${i + 1}. Нарушение ${i + 1}: телефон в кадре`));
      expect(page, `violation ${i + 1}`).toBeDefined();
      // 11:14:37 plus i times 61 seconds: the violation's own time stays with its title.
      expect(page).toContain(`05.01.2026, 11:${14 + i}:${37 + i}`);
    });
    expect(pages.at(-1)).toContain('Секретарь комиссии');
    expectInsideMargins(bytes);
  });

  it('a protocol with a 45-item technological map: the table header repeats on every page it runs onto', async () => {
    const items = Array.from({ length: 45 }, (_, i) => ({
      title: {
        kk: `Технологиялық картаның ${i + 1}-тармағы: жұмыс орнын тексеру және өлшеу`,
        ru: `Операция ${i + 1}: проверка рабочего места, измерение и запись результата в журнал`,
      },
      passed: i % 7 !== 3,
      comment: i % 3 === 0 ? 'Өлшеу нәтижесі нормаға сәйкес, аспап 2500 В мегаомметр, оқшаулау кедергісі 500 МОм-нан жоғары' : null,
    }));
    const input = { ...sample.protocol, practical: { ...sample.protocol.practical!, items, passed: true } };
    const bytes = await renderDocument('protocol', input, 'kk');
    const pages = pagesOf(bytes, (k, n) => `${n} беттің ${k}-беті`);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const withItems = pages.filter((p) => /Технологиялық картаның \d+-тармағы/.test(p));
    expect(withItems.length).toBeGreaterThanOrEqual(2);
    for (const p of withItems) for (const title of ['Технологиялық картаның тармағы', 'Нәтиже', 'Түсініктеме']) expect(p).toContain(title);
    // No result word is split across lines in its column.
    expect(all(pages)).not.toMatch(/орындалма\S* ды|орындалмад ы/);
    items.forEach((item) => expect(all(pages)).toContain(item.title.kk));
    expectInsideMargins(bytes);
  });

  it('a notice with forty topics and an appeal with a long text run onto further pages inside the margins', async () => {
    const recommendations = Array.from({ length: 40 }, (_, i) => ({
      topic: { kk: `Тақырып ${i + 1}: электр қауіпсіздігі`, ru: `Тема ${i + 1}: электробезопасность при работе в электроустановках` },
      wrong: 1 + (i % 3),
      asked: 4,
    }));
    const notice = await renderDocument('failure-notice', { ...sample['failure-notice'], recommendations }, 'ru');
    const noticePages = pagesOf(notice, (k, n) => `стр. ${k} из ${n}`);
    expect(noticePages.length).toBeGreaterThanOrEqual(2);
    expect(noticePages.join(' ')).toContain('Тема 40: электробезопасность');
    expectInsideMargins(notice);

    const summary = Array.from(
      { length: 60 },
      (_, i) => `${i + 1}-сөйлем: практикалық тапсырманың бағасымен келіспеймін, бейнежазбаны қарауды сұраймын.`,
    ).join(' ');
    const appeal = await renderDocument('appeal-decision', { ...sample['appeal-decision'], summary }, 'kk');
    const appealPages = pagesOf(appeal, (k, n) => `${n} беттің ${k}-беті`);
    expect(appealPages.length).toBeGreaterThanOrEqual(2);
    expect(appealPages.join(' ')).toContain('60-сөйлем');
    expectInsideMargins(appeal);
  });
});
