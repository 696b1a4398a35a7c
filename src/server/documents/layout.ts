/**
 * A small flow layout over pdf-lib for the documents: A4 pages, a cursor that moves
 * down, text wrapped to a width by the font's own metrics, label/value rows, tables whose rows
 * wrap and whose header repeats on a new page, images scaled to fit, and a footer with
 * "page N of M" drawn once the page count is known. Anything that does not fit starts a new page,
 * so long lists paginate by themselves.
 */
import { rgb, type PDFDocument, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

/** A4 in PDF points (1/72 inch): 210 × 297 mm. */
export const A4 = { width: 595.28, height: 841.89 } as const;
/** Margins: about 2 cm, a little more at the bottom for the footer. */
export const MARGIN = { top: 54, bottom: 62, left: 62, right: 54 } as const;
export const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
export const LINE_FACTOR = 1.35;

export const INK = rgb(0.08, 0.08, 0.1);
export const MUTED = rgb(0.36, 0.36, 0.4);
export const RULE = rgb(0.62, 0.62, 0.66);
export const FILL = rgb(0.93, 0.94, 0.96);
export const ALERT = rgb(0.7, 0.05, 0.05);

export type Measure = (text: string) => number;

/**
 * Lines of `text` no wider than `maxWidth`: breaks at spaces (never at the no-break spaces Intl
 * puts in "76,7 %"), keeps explicit line breaks, and splits a word longer than a line (a hash,
 * an address) where it fills the line.
 */
export function wrapText(text: string, maxWidth: number, measure: Measure): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').split('\n')) {
    const words = paragraph.split(/ +/).filter((w) => w.length > 0);
    if (words.length === 0) {
      lines.push('');
      continue;
    }
    let line = '';
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (measure(candidate) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      if (measure(word) <= maxWidth) {
        line = word;
        continue;
      }
      for (const ch of Array.from(word)) {
        if (line && measure(line + ch) > maxWidth) {
          lines.push(line);
          line = '';
        }
        line += ch;
      }
    }
    lines.push(line);
  }
  return lines;
}

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: RGB;
  align?: 'left' | 'center' | 'right';
  /** Left indent from the content edge, points. */
  indent?: number;
  /** Width to wrap to; the rest of the line by default. */
  width?: number;
}

export interface Column {
  title: string;
  /** Share of the content width; the shares add up to 1. */
  share: number;
  align?: 'left' | 'center' | 'right';
}

const CELL_PAD = 4;

export class Flow {
  page!: PDFPage;
  /** Top of the next line box, points from the page's bottom. */
  y = 0;

  constructor(
    readonly doc: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN.top;
  }

  /** Room left on this page above the bottom margin. */
  room(): number {
    return this.y - MARGIN.bottom;
  }

  /** Start a new page unless `height` still fits (a block taller than a page starts on a fresh one). */
  ensure(height: number): void {
    if (height > this.room() && this.y < A4.height - MARGIN.top) this.newPage();
  }

  space(height: number): void {
    this.y -= height;
  }

  font(bold?: boolean): PDFFont {
    return bold ? this.fonts.bold : this.fonts.regular;
  }

  lines(text: string, style: TextStyle = {}): string[] {
    const size = style.size ?? 10;
    const font = this.font(style.bold);
    const width = style.width ?? CONTENT_WIDTH - (style.indent ?? 0);
    return wrapText(text, width, (s) => font.widthOfTextAtSize(s, size));
  }

  /** Height the text takes with this style. */
  textHeight(text: string, style: TextStyle = {}): number {
    return this.lines(text, style).length * (style.size ?? 10) * LINE_FACTOR;
  }

  /** A wrapped paragraph; lines flow onto the next page when the page is full. */
  text(text: string, style: TextStyle = {}): void {
    const size = style.size ?? 10;
    const font = this.font(style.bold);
    const indent = style.indent ?? 0;
    const width = style.width ?? CONTENT_WIDTH - indent;
    const lineHeight = size * LINE_FACTOR;
    for (const line of this.lines(text, style)) {
      this.ensure(lineHeight);
      this.drawLine(line, MARGIN.left + indent, width, this.y, { ...style, size }, font);
      this.y -= lineHeight;
    }
  }

  private drawLine(line: string, left: number, width: number, top: number, style: TextStyle & { size: number }, font: PDFFont): void {
    if (!line) return;
    const w = font.widthOfTextAtSize(line, style.size);
    const x = style.align === 'center' ? left + (width - w) / 2 : style.align === 'right' ? left + width - w : left;
    this.page.drawText(line, { x, y: top - style.size, size: style.size, font, color: style.color ?? INK });
  }

  /** A section heading kept on one page with the first `keep` points of what follows it. */
  heading(text: string, keep = 48, size = 11.5): void {
    this.space(size * 0.6);
    this.ensure(this.textHeight(text, { size, bold: true }) + 3 + keep);
    this.text(text, { size, bold: true });
    this.space(3);
  }

  hr(color: RGB = RULE, thickness = 0.6): void {
    this.ensure(6);
    this.y -= 3;
    this.page.drawLine({ start: { x: MARGIN.left, y: this.y }, end: { x: A4.width - MARGIN.right, y: this.y }, thickness, color });
    this.y -= 3;
  }

  /** Height of label/value rows as fields() sets them. */
  fieldsHeight(rows: ReadonlyArray<readonly [string, string]>, labelShare = 0.36, size = 10): number {
    const labelWidth = CONTENT_WIDTH * labelShare - 10;
    const valueWidth = CONTENT_WIDTH * (1 - labelShare);
    return rows.reduce(
      (sum, [label, value]) =>
        sum +
        Math.max(this.lines(label, { size, width: labelWidth }).length, this.lines(value, { size, width: valueWidth }).length) *
          size *
          LINE_FACTOR +
        2,
      0,
    );
  }

  /**
   * Label and value side by side, both wrapped; a row never splits across pages unless it is
   * taller than a page (then it is set as a label line and a paragraph).
   */
  fields(rows: ReadonlyArray<readonly [string, string]>, labelShare = 0.36, size = 10): void {
    const gap = 10;
    const labelWidth = CONTENT_WIDTH * labelShare - gap;
    const valueWidth = CONTENT_WIDTH * (1 - labelShare);
    const lineHeight = size * LINE_FACTOR;
    for (const [label, value] of rows) {
      const labelLines = this.lines(label, { size, width: labelWidth });
      const valueLines = this.lines(value, { size, width: valueWidth });
      const height = Math.max(labelLines.length, valueLines.length) * lineHeight + 2;
      if (height > A4.height - MARGIN.top - MARGIN.bottom) {
        this.text(label, { size, color: MUTED });
        this.text(value, { size, indent: CONTENT_WIDTH * labelShare });
        continue;
      }
      this.ensure(height);
      labelLines.forEach((line, i) =>
        this.drawLine(line, MARGIN.left, labelWidth, this.y - i * lineHeight, { size, color: MUTED }, this.fonts.regular),
      );
      valueLines.forEach((line, i) =>
        this.drawLine(line, MARGIN.left + CONTENT_WIDTH * labelShare, valueWidth, this.y - i * lineHeight, { size }, this.fonts.regular),
      );
      this.y -= height;
    }
  }

  /** A table with a shaded header that repeats at the top of each new page; rows wrap and never split. */
  table(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>, size = 9.5): void {
    const lineHeight = size * LINE_FACTOR;
    const widths = columns.map((c) => c.share * CONTENT_WIDTH);
    const cellLines = (cells: readonly string[], bold: boolean) =>
      cells.map((cell, i) => this.lines(cell, { size, bold, width: widths[i]! - 2 * CELL_PAD }));
    const rowHeight = (lines: string[][]) => Math.max(1, ...lines.map((l) => l.length)) * lineHeight + 2 * CELL_PAD;
    const header = cellLines(
      columns.map((c) => c.title),
      true,
    );
    const headerHeight = rowHeight(header);

    const drawRow = (lines: string[][], height: number, bold: boolean, fill: boolean) => {
      if (fill) this.page.drawRectangle({ x: MARGIN.left, y: this.y - height, width: CONTENT_WIDTH, height, color: FILL });
      let x = MARGIN.left;
      lines.forEach((cell, i) => {
        cell.forEach((line, j) =>
          this.drawLine(
            line,
            x + CELL_PAD,
            widths[i]! - 2 * CELL_PAD,
            this.y - CELL_PAD - j * lineHeight,
            { size, bold, align: columns[i]!.align },
            this.font(bold),
          ),
        );
        x += widths[i]!;
      });
      this.y -= height;
      this.page.drawLine({
        start: { x: MARGIN.left, y: this.y },
        end: { x: A4.width - MARGIN.right, y: this.y },
        thickness: 0.5,
        color: RULE,
      });
    };

    const first = rows[0] ? rowHeight(cellLines(rows[0], false)) : 0;
    this.ensure(headerHeight + first);
    drawRow(header, headerHeight, true, true);
    for (const row of rows) {
      const lines = cellLines(row, false);
      const height = rowHeight(lines);
      if (height > this.room()) {
        this.newPage();
        drawRow(header, headerHeight, true, true);
      }
      drawRow(lines, height, false, false);
    }
    this.space(4);
  }

  /** A JPEG scaled to fit the box, placed at the indent; returns the size it took. */
  async jpeg(bytes: Uint8Array, maxWidth: number, maxHeight: number, indent = 0): Promise<{ width: number; height: number }> {
    const image = await this.doc.embedJpg(bytes);
    const { width, height } = image.scaleToFit(maxWidth, maxHeight);
    this.ensure(height + 4);
    this.page.drawImage(image, { x: MARGIN.left + indent, y: this.y - height, width, height });
    this.page.drawRectangle({ x: MARGIN.left + indent, y: this.y - height, width, height, borderColor: RULE, borderWidth: 0.5 });
    this.y -= height + 4;
    return { width, height };
  }

  /** Draw a footer on every page once the count is known. */
  footer(text: (page: number, pages: number) => string, size = 8): void {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      const line = text(i + 1, pages.length);
      const w = this.fonts.regular.widthOfTextAtSize(line, size);
      page.drawLine({
        start: { x: MARGIN.left, y: MARGIN.bottom - 18 },
        end: { x: A4.width - MARGIN.right, y: MARGIN.bottom - 18 },
        thickness: 0.4,
        color: RULE,
      });
      page.drawText(line, {
        x: Math.max(MARGIN.left, (A4.width - w) / 2),
        y: MARGIN.bottom - 30,
        size,
        font: this.fonts.regular,
        color: MUTED,
      });
    });
  }
}
