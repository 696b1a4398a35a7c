/**
 * What every document shares: a new PDF with the embedded fonts and its metadata,
 * the heading (centre, title, number and date, the Rules it rests on), the commission's
 * signatures and the QR code.
 */
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import type { CommissionSignature, DocumentLanguage, IsoDate } from '../../shared/documents';
import { formatDate, formatMoment, isoDateMs } from './format';
import { A4, CONTENT_WIDTH, Flow, INK, MARGIN, MUTED, RULE } from './layout';
import { sayer, type Say } from './text';

const FONT_DIR = new URL('./fonts/', import.meta.url);
export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

export interface DocumentMeta {
  /** The document's title in its language (PDF metadata, and the footer). */
  title: string;
  /** The document's own date: the PDF's creation date, so the same input gives the same bytes. */
  date: IsoDate;
  author: string;
}

export interface Started {
  doc: PDFDocument;
  flow: Flow;
  say: Say;
}

/**
 * A new PDF with DejaVu Sans and DejaVu Sans Bold embedded as subsets (only the glyphs used), and
 * metadata that depends on the input alone (no "now"), so a document's sha256 is reproducible.
 */
export async function startDocument(language: DocumentLanguage, meta: DocumentMeta): Promise<Started> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const [regularBytes, boldBytes] = await Promise.all([
    readFile(new URL(FONT_FILES.regular, FONT_DIR)),
    readFile(new URL(FONT_FILES.bold, FONT_DIR)),
  ]);
  const regular = await doc.embedFont(regularBytes, { subset: true });
  const bold = await doc.embedFont(boldBytes, { subset: true });
  const date = new Date(isoDateMs(meta.date) + 12 * 3600_000);
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setLanguage(language === 'kk' ? 'kk-KZ' : 'ru-RU');
  doc.setCreator('Tanu');
  doc.setProducer('Tanu (pdf-lib)');
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  return { doc, flow: new Flow(doc, { regular, bold }), say: sayer(language) };
}

export interface HeaderInput {
  centreName: string;
  accreditationNo: string;
  title: string;
  subtitle: string | null;
  /** The document's number and date, on one line; null where the document prints them its own way. */
  number: string | null;
  date: IsoDate | null;
  language: DocumentLanguage;
}

/** Centre, title, number on the left and date on the right, and the Rules the document rests on. */
export function documentHeader(flow: Flow, say: Say, h: HeaderInput): void {
  flow.text(h.centreName, { size: 11, bold: true, align: 'center' });
  flow.text(`${say('field.accreditation')}: ${h.accreditationNo}`, { size: 8.5, color: MUTED, align: 'center' });
  flow.hr(INK, 0.8);
  flow.space(8);
  flow.text(h.title, { size: 14.5, bold: true, align: 'center' });
  if (h.subtitle) flow.text(h.subtitle, { size: 10.5, align: 'center' });
  flow.space(6);
  const size = 10;
  const top = flow.y;
  if (h.number !== null) flow.text(say('number', { number: h.number }), { size, bold: true });
  if (h.date !== null) {
    const date = formatDate(h.date, h.language);
    const w = flow.fonts.regular.widthOfTextAtSize(date, size);
    flow.page.drawText(date, { x: A4.width - MARGIN.right - w, y: top - size, size, font: flow.fonts.regular, color: INK });
    if (h.number === null) flow.y = top - size * 1.35;
  }
  flow.space(4);
  flow.text(`${say('rules.name')} (${say('rules.order')}).`, { size: 8, color: MUTED });
  flow.space(6);
}

/**
 * The commission's signatures: role, name and the signing act logged in Tanu (or "not signed"),
 * with a line for the handwritten signature on paper.
 */
export function signatures(
  flow: Flow,
  say: Say,
  language: DocumentLanguage,
  timeZone: string,
  heading: string,
  members: readonly CommissionSignature[],
): void {
  flow.heading(heading);
  const size = 9.5;
  const lineHeight = size * 1.35;
  const nameX = MARGIN.left + CONTENT_WIDTH * 0.3;
  const lineX = MARGIN.left + CONTENT_WIDTH * 0.72;
  const lineWidth = CONTENT_WIDTH * 0.28;
  for (const member of members) {
    const status =
      member.signedAt === null ? say('sign.notSigned') : say('sign.signedAt', { at: formatMoment(member.signedAt, language, timeZone) });
    const nameLines = flow.lines(member.fullName, { size, bold: true, width: lineX - nameX - 10 });
    const roleLines = flow.lines(say(`role.${member.role}` as const), { size, width: nameX - MARGIN.left - 10 });
    const height = Math.max(roleLines.length, nameLines.length + 1) * lineHeight + 14;
    flow.ensure(height);
    const top = flow.y;
    roleLines.forEach((line, i) =>
      flow.page.drawText(line, { x: MARGIN.left, y: top - size - i * lineHeight, size, font: flow.fonts.regular, color: MUTED }),
    );
    nameLines.forEach((line, i) =>
      flow.page.drawText(line, { x: nameX, y: top - size - i * lineHeight, size, font: flow.fonts.bold, color: INK }),
    );
    flow.page.drawText(status, {
      x: nameX,
      y: top - size - nameLines.length * lineHeight,
      size: 8,
      font: flow.fonts.regular,
      color: member.signedAt === null ? rgb(0.6, 0.1, 0.1) : MUTED,
    });
    const lineY = top - size - 8;
    flow.page.drawLine({ start: { x: lineX, y: lineY }, end: { x: lineX + lineWidth, y: lineY }, thickness: 0.6, color: INK });
    const caption = say('sign.line');
    const cw = flow.fonts.regular.widthOfTextAtSize(caption, 7);
    flow.page.drawText(caption, { x: lineX + (lineWidth - cw) / 2, y: lineY - 9, size: 7, font: flow.fonts.regular, color: MUTED });
    flow.y -= height;
  }
}

/**
 * A QR code of `text` drawn as vector squares, with its 4-module quiet zone, `size` points wide,
 * its top-left corner at (x, top). The symbol (version, mask, error correction) is the qrcode
 * library's; level M survives a crease or a stamp across a few modules.
 */
export function drawQr(page: PDFPage, text: string, x: number, top: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const cells = modules.size + 2 * quiet;
  const m = size / cells;
  page.drawRectangle({ x, y: top - size, width: size, height: size, color: rgb(1, 1, 1) });
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      // Runs of dark modules as one rectangle each; a hair of overlap so no seams show between rows.
      page.drawRectangle({
        x: x + (quiet + start) * m,
        y: top - (quiet + row + 1) * m - 0.02,
        width: (col - start) * m,
        height: m + 0.04,
        color: rgb(0, 0, 0),
      });
    }
  }
  page.drawRectangle({ x, y: top - size, width: size, height: size, borderColor: RULE, borderWidth: 0.3 });
}

/** The head of the centre's signature: the position, the name, and a line with "signature" under it. */
export const HEAD_SIGNATURE_HEIGHT = 56;

export function headSignature(
  flow: Flow,
  say: Say,
  position: string,
  fullName: string,
  left: number = MARGIN.left,
  width: number = CONTENT_WIDTH,
): void {
  const size = 10;
  flow.ensure(HEAD_SIGNATURE_HEIGHT);
  const top = flow.y;
  flow.page.drawText(position, { x: left, y: top - size, size, font: flow.fonts.regular, color: MUTED });
  flow.page.drawText(fullName, { x: left, y: top - size - 15, size: 11, font: flow.fonts.bold, color: INK });
  const lineWidth = Math.min(170, width);
  const lineY = top - size - 38;
  flow.page.drawLine({ start: { x: left, y: lineY }, end: { x: left + lineWidth, y: lineY }, thickness: 0.6, color: INK });
  const caption = say('sign.line');
  const cw = flow.fonts.regular.widthOfTextAtSize(caption, 7);
  flow.page.drawText(caption, { x: left + (lineWidth - cw) / 2, y: lineY - 9, size: 7, font: flow.fonts.regular, color: MUTED });
  flow.y -= HEAD_SIGNATURE_HEIGHT;
}
