/**
 * The document on recognition of professional qualification (rule 18, Appendix 2): the centre's
 * name; "issued to (full name) and confirms his/her professional qualification in the profession
 * ___"; the NQF level; date of issue; validity; the six-level serial number; a QR code of the
 * verification address; the head of the centre and the signature. No IIN: the document is shown to
 * employers, and the public verification page never shows it either.
 */
import type { PDFDocument } from 'pdf-lib';
import type { DocumentLanguage, RecognitionDocumentInput } from '../../shared/documents';
import { documentHeader, drawQr, headSignature, startDocument } from './blocks';
import { checkRecognition, DocumentInputError } from './checks';
import { formatDate, formatInteger } from './format';
import { A4, CONTENT_WIDTH, INK, MARGIN, MUTED, RULE } from './layout';
import { sayer, type DocumentTextKey } from './text';

/** The QR code's side, points: about 4 cm, so a phone reads it at arm's length. */
export const QR_SIZE = 112;
const LEVEL_KEYS: DocumentTextKey[] = [
  'recognition.level1',
  'recognition.level2',
  'recognition.level3',
  'recognition.level4',
  'recognition.level5',
  'recognition.level6',
];

/**
 * How tightly the page is set: the normal look, and a compact one (smaller name and profession,
 * less air, a smaller QR code still well above its minimum) for a long name or profession.
 */
const DENSITIES = [
  { air: 1, name: 18, profession: 14, sentence: 11.5, qr: QR_SIZE },
  { air: 0.45, name: 15, profession: 12, sentence: 10.5, qr: 96 },
] as const;
type Density = (typeof DENSITIES)[number];

export async function renderRecognition(input: RecognitionDocumentInput, language: DocumentLanguage): Promise<Uint8Array> {
  checkRecognition(input);
  for (const density of DENSITIES) {
    const doc = await drawRecognition(input, language, density);
    // One page, no footer: the frame is the page's edge.
    if (doc.getPageCount() === 1) return doc.save();
  }
  throw new DocumentInputError('the document on recognition does not fit on one page');
}

async function drawRecognition(input: RecognitionDocumentInput, language: DocumentLanguage, density: Density): Promise<PDFDocument> {
  const air = (points: number) => points * density.air;
  const centreName = input.centre.name[language];
  const { doc, flow, say } = await startDocument(language, {
    title: sayer(language)('recognition.title'),
    date: input.issuedOn,
    author: centreName,
  });

  // A double frame, as such certificates are printed.
  for (const [inset, width] of [
    [24, 1.6],
    [29, 0.5],
  ] as const) {
    flow.page.drawRectangle({
      x: inset,
      y: inset,
      width: A4.width - 2 * inset,
      height: A4.height - 2 * inset,
      borderColor: INK,
      borderWidth: width,
    });
  }

  flow.space(air(6));
  documentHeader(flow, say, {
    centreName,
    accreditationNo: input.centre.accreditationNo,
    title: say('recognition.title'),
    subtitle: null,
    number: null,
    date: null,
    language,
  });
  flow.space(air(6));
  flow.text(say('recognition.serial'), { size: 9, color: MUTED, align: 'center' });
  flow.text(input.serialNumber, { size: 14, bold: true, align: 'center' });
  flow.space(air(22));

  const sentence = (key: DocumentTextKey) => {
    const words = say(key);
    if (words) flow.text(words, { size: density.sentence, align: 'center' });
  };
  sentence('recognition.beforeName');
  flow.space(air(4));
  flow.text(input.holder.fullName, { size: density.name, bold: true, align: 'center' });
  flow.space(air(6));
  sentence('recognition.afterName');
  flow.space(air(4));
  flow.text(input.programme.profession[language], { size: density.profession, bold: true, align: 'center' });
  flow.space(air(4));
  sentence('recognition.afterProfession');
  flow.space(air(22));

  flow.fields(
    [
      [say('field.nqfLevel'), formatInteger(input.programme.nqfLevel, language)],
      [say('recognition.issuedOn'), formatDate(input.issuedOn, language)],
      [
        say('recognition.validUntil'),
        input.validUntil === null
          ? say('recognition.unlimited')
          : say('recognition.validUntilValue', { date: formatDate(input.validUntil, language) }),
      ],
      [
        say('recognition.grounds'),
        say('recognition.groundsValue', { number: input.protocol.number, date: formatDate(input.protocol.signedOn, language) }),
      ],
    ],
    0.42,
    10.5,
  );
  flow.space(air(20));

  // The QR code on the left with its caption and address; the head of the centre on the right.
  const captionWidth = density.qr + 40;
  const urlSize = 7;
  const urlLines = flow.lines(input.verificationUrl, { size: urlSize, width: captionWidth });
  const captionLines = flow.lines(say('recognition.qr'), { size: 7.5, width: captionWidth });
  flow.ensure(density.qr + (urlLines.length + captionLines.length) * 10 + 12);
  const top = flow.y;
  drawQr(flow.page, input.verificationUrl, MARGIN.left, top, density.qr);
  flow.y = top - 30;
  headSignature(
    flow,
    say,
    say('recognition.head'),
    input.centre.headFullName,
    MARGIN.left + captionWidth + 24,
    CONTENT_WIDTH - captionWidth - 24,
  );
  flow.y = top - density.qr - 4;
  flow.text(say('recognition.qr'), { size: 7.5, color: MUTED, width: captionWidth });
  flow.text(input.verificationUrl, { size: urlSize, color: MUTED, width: captionWidth });

  // Appendix 2's note: what the six levels of the number are, with this document's values.
  flow.space(air(14));
  flow.page.drawLine({
    start: { x: MARGIN.left, y: flow.y },
    end: { x: MARGIN.left + CONTENT_WIDTH, y: flow.y },
    thickness: 0.4,
    color: RULE,
  });
  flow.space(6);
  flow.text(say('recognition.note'), { size: 7.5, color: MUTED });
  const parts = input.serialNumber.split('-');
  LEVEL_KEYS.forEach((key, i) => {
    const value = parts.length === LEVEL_KEYS.length ? ` — ${parts[i]}` : '';
    flow.text(`${say('recognition.level', { n: i + 1 })}${value}: ${say(key)}`, { size: 7.5, color: MUTED, indent: 8 });
  });

  return doc;
}
