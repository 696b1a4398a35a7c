/**
 * Every string a person reads in the UI comes from the kk / ru / en catalogues (rule 9: the
 * candidate chooses Kazakh or Russian). This scans every .tsx file under src/ for words
 * written straight into JSX.
 *
 * Why a parser and not a regex over `>text<`: in TSX the `>` of arrows (`=>`), generics
 * (`useState<string | null>(null)`) and comparisons is followed by code, so such a regex
 * reports code between two JSX expressions as text (28 false hits on this code base, and
 * none real). The oxc parser that Vite already ships (`parseSync`) yields the real JSXText
 * nodes, with exact positions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('..', import.meta.url));

/** Latin, Cyrillic, and the Kazakh letters outside basic Cyrillic. */
const LETTER = /[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]/;

/** Attributes that a person reads or hears (screen readers): literal words here are hard-coded text too. */
const VISIBLE_ATTRIBUTES = new Set([
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'label',
]);

/**
 * Deliberate exceptions, as "relative/path.tsx:line". Empty: nothing needs one today. A legitimate
 * entry would be text that is the same in every language, e.g. a product logo's letters.
 */
const ALLOWED = new Set<string>([]);

type Node = { type?: unknown; start?: number; [key: string]: unknown };

function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as Node;
  if (typeof n.type === 'string') visit(n);
  for (const [key, value] of Object.entries(n)) if (key !== 'parent' && value && typeof value === 'object') walk(value, visit);
}

const isStringLiteral = (n: unknown): n is { type: 'Literal'; value: string } =>
  typeof n === 'object' && n !== null && (n as Node).type === 'Literal' && typeof (n as { value?: unknown }).value === 'string';

/** The attribute's name; namespaced ones (xlink:title) are not used for UI text here. */
const attributeName = (n: Node): string => {
  const name = n.name as { type: string; name?: unknown };
  return name.type === 'JSXIdentifier' ? String(name.name) : '';
};

/** Hard-coded words in one TSX source, as "file:line: text". */
function findHardcodedText(file: string, source: string): string[] {
  const result = parseSync(file, source, { lang: 'tsx' });
  if (result.errors.length > 0) throw new Error(`${file}: cannot parse: ${result.errors.map((e) => e.message).join('; ')}`);
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const found: string[] = [];
  const report = (offset: number, text: string) => {
    const where = `${file}:${lineOf(offset)}`;
    if (!ALLOWED.has(where)) found.push(`${where}: ${JSON.stringify(text.trim())}`);
  };
  walk(result.program, (n) => {
    // <p>Submit</p>
    if (n.type === 'JSXText' && LETTER.test(String(n.value))) report(n.start ?? 0, String(n.value));
    // <p>{'Submit'}</p>
    if (n.type === 'JSXExpressionContainer' && isStringLiteral(n.expression) && LETTER.test(n.expression.value))
      report(n.start ?? 0, n.expression.value);
    // <button aria-label="Close">
    if (n.type === 'JSXAttribute' && VISIBLE_ATTRIBUTES.has(attributeName(n))) {
      const value = n.value as unknown;
      const literal = isStringLiteral(value)
        ? value.value
        : value &&
            typeof value === 'object' &&
            (value as Node).type === 'JSXExpressionContainer' &&
            isStringLiteral((value as Node).expression)
          ? ((value as Node).expression as { value: string }).value
          : null;
      if (literal !== null && LETTER.test(literal)) report(n.start ?? 0, `${attributeName(n)}="${literal}"`);
    }
  });
  return found;
}

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(full);
    return entry.name.endsWith('.tsx') ? [full] : [];
  });
}

describe('the scanner itself', () => {
  const fixture = [
    'import { useState } from "react";',
    'export function Demo(props: { items: string[] }) {',
    '  const [x, setX] = useState<string | null>(null);',
    '  const big = props.items.filter((i) => i.length > 3).length;',
    '  return (',
    '    <div className="card" data-testid="demo" role="status">',
    '      <h1>{t("app.name")}</h1>',
    '      <p>Сақтау</p>',
    '      <p>Submit your answers</p>',
    '      {x && big > 1 ? <b>{x}</b> : null}',
    '      <span>{"Жабу"}</span>',
    '      <button aria-label="Close" title={t("common.close")} />',
    '      <span>{" "}–{count}: 42%</span>',
    '    </div>',
    '  );',
    '}',
  ].join('\n');

  it('finds text nodes (Latin and Kazakh), string children and literal visible attributes, with lines', () => {
    expect(findHardcodedText('fixture.tsx', fixture)).toEqual([
      'fixture.tsx:8: "Сақтау"',
      'fixture.tsx:9: "Submit your answers"',
      'fixture.tsx:11: "Жабу"',
      'fixture.tsx:12: "aria-label=\\"Close\\""',
    ]);
  });

  it('does not report generics, arrows, comparisons, class names or punctuation', () => {
    const clean = fixture
      .split('\n')
      .filter((_, i) => ![7, 8, 10, 11].includes(i))
      .join('\n');
    expect(findHardcodedText('fixture.tsx', clean)).toEqual([]);
  });

  it('refuses a file it cannot parse rather than passing it', () => {
    expect(() => findHardcodedText('broken.tsx', 'export const X = () => <div>')).toThrow(/cannot parse/);
  });
});

describe('rule 9: no hard-coded UI text in .tsx files', () => {
  const files = tsxFiles(SRC);

  it('finds the .tsx files to scan', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it('every UI string comes from the catalogues', () => {
    const violations = files.flatMap((f) => findHardcodedText(path.relative(SRC, f), readFileSync(f, 'utf8')));
    expect(violations, `hard-coded text:\n${violations.join('\n')}`).toEqual([]);
  });
});
