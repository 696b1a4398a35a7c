/**
 * Sample inputs for the five documents (`npm run documents -- --sample`), until the centre fills
 * them from a seeded finished procedure: swap this module for one that reads the procedure.
 *
 * The story: the demo centre's electrician programme (NQF level 4) held online on Monday
 * 5 January 2026. Сейтқали Айгерім had a phone in view once (warned automatically, rule 13; the
 * act of rule 14), went on, scored 23 of 30 and did the practical task: protocol, then the
 * document on recognition. Жаһанов Бауыржан scored 24 of 30 but failed one item of the
 * technological map: the failure notice with his wrong topics, then his appeal, upheld.
 * Deadlines were counted by hand on the 2026 calendar (7 January is a holiday); the centre will
 * compute them with the working-day module.
 */
import { readFile } from 'node:fs/promises';
import type { CommissionSignature, DocumentCentre, DocumentInputs, DocumentProgramme } from '../../shared/documents';

/** Almaty time (UTC+5) on a day of January 2026, as epoch ms. */
const jan2026 = (day: number, hh: number, mm: number, ss = 0) => Date.UTC(2026, 0, day, hh - 5, mm, ss);

const centre: DocumentCentre = {
  name: { kk: '«Тану» демо тану орталығы', ru: 'Демонстрационный центр признания «Тану»' },
  accreditationNo: '0001',
  timeZone: 'Asia/Almaty',
};
const headFullName = 'Шаһмарданов Ерғали Өмірұлы';

const programme: DocumentProgramme = {
  code: 'ELEC-4',
  profession: { kk: 'Электр жабдықтарына қызмет көрсету жөніндегі электромонтер', ru: 'Электромонтёр по обслуживанию электрооборудования' },
  nqfLevel: 4,
};

const aigerim = { fullName: 'Сейтқали Айгерім Жаһанқызы', iin: '950412450123' };
const bauyrzhan = { fullName: 'Жаһанов Бауыржан Өмірұлы', iin: '010923350987' };

const commission = (signed: number | null): CommissionSignature[] => [
  { fullName: 'Мұқанова Гүлнәр Әбілқызы', role: 'chair', signedAt: signed },
  { fullName: 'Ибраһимов Нұрсұлтан Қайратұлы', role: 'member', signedAt: signed === null ? null : signed + 7 * 60_000 },
  { fullName: 'Оспанова Дина Серікқызы', role: 'secretary', signedAt: null },
];

export interface SampleEvidence {
  /** An evidence snapshot: a JPEG frame. */
  phone: Uint8Array;
}

/** The first JPEG frame of a Motion-JPEG file (frames are whole JPEGs back to back, SOI … EOI). */
export function firstJpegFrame(mjpeg: Uint8Array): Uint8Array {
  if (mjpeg[0] !== 0xff || mjpeg[1] !== 0xd8) throw new Error('not a Motion-JPEG stream: no JPEG start marker');
  for (let i = 2; i + 1 < mjpeg.length; i++) {
    if (mjpeg[i] === 0xff && mjpeg[i + 1] === 0xd9) return mjpeg.slice(0, i + 2);
  }
  throw new Error('no JPEG end marker');
}

/** The browser tests' phone clip (e2e/fixtures/README.md: a hand holding a phone; image MIT, from @vladmandic/face-api). */
export async function loadSampleEvidence(): Promise<SampleEvidence> {
  const mjpeg = await readFile(new URL('../../../e2e/fixtures/phone-5s.mjpeg', import.meta.url));
  return { phone: firstJpegFrame(new Uint8Array(mjpeg)) };
}

export function sampleDocumentInputs(evidence: SampleEvidence): DocumentInputs {
  return {
    'violation-act': {
      actNumber: 'А-2026-003',
      drawnUpOn: '2026-01-06',
      centre,
      candidate: aigerim,
      programme,
      mode: 'online',
      sessionId: 'ses_7Hq2VfR0kX9pLm4T',
      examStartedAt: jan2026(5, 11, 0, 12),
      examEndedAt: null,
      violations: [
        {
          rule: '12',
          at: jan2026(5, 11, 14, 37),
          description: {
            kk: 'Кадрда ұялы телефон бар: кандидат оны қолында ұстап тұр',
            ru: 'В кадре мобильный телефон: кандидат держит его в руке',
          },
          snapshotJpeg: evidence.phone,
          recordingOffsetMs: (14 * 60 + 25) * 1000,
        },
      ],
      warning: { at: jan2026(5, 11, 14, 38), by: { kind: 'automatic' } },
      termination: null,
      proctorDecision: {
        decision: 'confirmed',
        fullName: 'Тоқтарова Әсел Маратқызы',
        at: jan2026(5, 11, 16, 2),
        comment: 'Телефон анық көрінеді, кандидат ескертуден кейін оны сөмкеге салды.',
      },
      reviewerDecision: {
        decision: 'violation_confirmed',
        fullName: 'Ибраһимов Нұрсұлтан Қайратұлы',
        at: jan2026(5, 16, 40, 0),
        comment: 'Жазбаның 0:14:25 сәтінде телефон 6 секунд бойы көрінеді; қайта бұзушылық жоқ.',
      },
      commission: commission(jan2026(6, 10, 5)),
      log: {
        headHash: '9f2c4b7a1e0d58c3a6b2f41d7e9c0a35b8e1f6d2c4a79b03e5d1c8f2a6b4e907',
        eventCount: 1284,
        verified: true,
        checkedAt: jan2026(6, 9, 58),
      },
    },
    protocol: {
      protocolNumber: 'П-2026-011',
      drawnUpOn: '2026-01-06',
      centre,
      candidate: aigerim,
      programme,
      mode: 'online',
      examLanguage: 'kk',
      procedureStartedAt: jan2026(5, 11, 0, 12),
      procedureEndedAt: jan2026(5, 15, 20),
      theory: { correct: 23, total: 30 },
      practical: {
        assessedAt: jan2026(5, 15, 10),
        passed: true,
        items: [
          {
            title: {
              kk: 'Жұмыс орнын дайындау және қорғаныс құралдарын тексеру',
              ru: 'Подготовка рабочего места и проверка средств защиты',
            },
            passed: true,
            comment: null,
          },
          {
            title: {
              kk: 'Кернеудің жоқтығын тексеру және жерге тұйықтауды орнату',
              ru: 'Проверка отсутствия напряжения и установка заземления',
            },
            passed: true,
            comment: null,
          },
          {
            title: { kk: 'Электр қозғалтқышының оқшаулау кедергісін өлшеу', ru: 'Измерение сопротивления изоляции электродвигателя' },
            passed: true,
            comment: 'Мегаомметр 2500 В, нәтиже хаттамаға жазылды',
          },
          {
            title: { kk: 'Магниттік іске қосқышты ауыстыру және схеманы жинау', ru: 'Замена магнитного пускателя и сборка схемы' },
            passed: true,
            comment: null,
          },
          {
            title: { kk: 'Жұмысты тапсыру, наряд-рұқсатты жабу', ru: 'Сдача работы, закрытие наряда-допуска' },
            passed: true,
            comment: null,
          },
        ],
      },
      violations: [
        {
          actNumber: 'А-2026-003',
          rule: '12',
          description: { kk: 'кадрда ұялы телефон (ескерту берілді)', ru: 'мобильный телефон в кадре (вынесено предупреждение)' },
        },
      ],
      decision: 'passed',
      commission: commission(jan2026(6, 14, 30)),
    },
    recognition: {
      serialNumber: '43210-74110001-4-050126-0001-00000017',
      centre: { ...centre, headFullName },
      holder: { fullName: aigerim.fullName },
      programme,
      issuedOn: '2026-01-08',
      validUntil: '2031-01-07',
      verificationUrl: 'http://localhost:8080/verify/43210-74110001-4-050126-0001-00000017',
      protocol: { number: 'П-2026-011', signedOn: '2026-01-06' },
    },
    'failure-notice': {
      noticeNumber: 'Х-2026-004',
      issuedOn: '2026-01-08',
      centre: { ...centre, headFullName },
      candidate: { fullName: bauyrzhan.fullName },
      programme,
      procedureStartedAt: jan2026(5, 14, 0),
      protocol: { number: 'П-2026-012', signedOn: '2026-01-06' },
      theory: { correct: 24, total: 30 },
      practical: { passed: false },
      endedForViolation: false,
      recommendations: [
        { topic: { kk: 'Электр қауіпсіздігі және қорғаныс құралдары', ru: 'Электробезопасность и средства защиты' }, wrong: 3, asked: 6 },
        { topic: { kk: 'Оқшаулау кедергісін өлшеу', ru: 'Измерение сопротивления изоляции' }, wrong: 2, asked: 4 },
        { topic: { kk: 'Жерге тұйықтау және нөлдеу', ru: 'Заземление и зануление' }, wrong: 1, asked: 5 },
      ],
      appealUntil: '2026-01-15',
    },
    'appeal-decision': {
      appealNumber: 'АП-2026-001',
      registeredOn: '2026-01-12',
      centre,
      candidate: bauyrzhan,
      programme,
      protocol: { number: 'П-2026-012', signedOn: '2026-01-06' },
      summary:
        'Практикалық тапсырманың 2-тармағы «орындалмады» деп бағаланды, бірақ мен кернеудің жоқтығын көрсеткішпен тексеріп, жерге тұйықтауды орнаттым. Бейнежазбаны қарап, нәтижені қайта қарауды сұраймын.',
      decision: 'upheld',
      reasons:
        'Бейнежазбаның 1:12:40–1:15:05 аралығында кандидат кернеудің жоқтығын тексеріп, тасымалы жерге тұйықтауды технологиялық картаға сәйкес орнатқаны көрінеді. 2-тармақ «орындалды» деп қайта бағаланды; тапсырманың барлық тармақтары орындалды.',
      decidedOn: '2026-01-16',
      commission: [
        { fullName: 'Әлиева Салтанат Бақытжанқызы', role: 'chair', signedAt: jan2026(16, 12, 0) },
        { fullName: 'Ғабдуллин Ержан Төлеуұлы', role: 'member', signedAt: jan2026(16, 12, 9) },
        { fullName: 'Нұрпейісова Үміт Еркінқызы', role: 'member', signedAt: jan2026(16, 12, 20) },
      ],
      documentDueBy: '2026-01-21',
    },
  };
}
