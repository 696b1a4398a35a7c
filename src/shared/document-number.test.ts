/** Rule 18, Appendix 2: the document's six-level serial number, written and read, every level's edges. */
import { describe, expect, it } from 'vitest';
import {
  checkDocumentNumberFields,
  DOCUMENT_NUMBER_LENGTH,
  DocumentNumberError,
  documentNumberIssueText,
  formatDocumentNumber,
  parseDocumentNumber,
  type DocumentNumberFields,
  type DocumentNumberIssue,
} from './document-number';

const base: DocumentNumberFields = {
  oked: '43210',
  occupationCode: '74110001',
  nqfLevel: 4,
  examDate: '2025-03-15',
  centreAccreditation: '0001',
  sequence: 42,
};

function formatIssues(over: Partial<DocumentNumberFields>): DocumentNumberIssue[] {
  try {
    formatDocumentNumber({ ...base, ...over });
  } catch (err) {
    if (err instanceof DocumentNumberError) return [...err.issues];
    throw err;
  }
  return [];
}

function parseIssues(text: string): DocumentNumberIssue[] {
  const r = parseDocumentNumber(text);
  return r.ok ? [] : r.issues;
}

describe('formatDocumentNumber', () => {
  it('writes the six levels in Appendix 2 order with the date as DDMMYY', () => {
    expect(formatDocumentNumber(base)).toBe('43210-74110001-4-150325-0001-00000042');
    expect(formatDocumentNumber(base)).toHaveLength(DOCUMENT_NUMBER_LENGTH);
  });

  it('writes "no occupation code" as 00000000, keeping every level at its place', () => {
    for (const none of [null, '0'] as const) {
      const n = formatDocumentNumber({ ...base, occupationCode: none });
      expect(n).toBe('43210-00000000-4-150325-0001-00000042');
      expect(n).toHaveLength(DOCUMENT_NUMBER_LENGTH);
      expect(n[15]).toBe('4'); // the NQF level is always the 16th character
    }
  });

  it('the smallest and largest sequence numbers', () => {
    expect(formatDocumentNumber({ ...base, sequence: 1 }).endsWith('-00000001')).toBe(true);
    expect(formatDocumentNumber({ ...base, sequence: 99_999_999 }).endsWith('-99999999')).toBe(true);
  });

  it.each<[string, Partial<DocumentNumberFields>, DocumentNumberIssue]>([
    ['OKED too short', { oked: '4321' }, { field: 'oked', code: 'too_short', expected: 5 }],
    ['OKED too long', { oked: '432100' }, { field: 'oked', code: 'too_long', expected: 5 }],
    ['OKED with a letter', { oked: '4321A' }, { field: 'oked', code: 'not_digits' }],
    ['OKED with a dash', { oked: '43-21' }, { field: 'oked', code: 'not_digits' }],
    ['OKED empty', { oked: '' }, { field: 'oked', code: 'required' }],
    ['occupation code of 7 digits', { occupationCode: '7411000' }, { field: 'occupationCode', code: 'too_short', expected: 8 }],
    ['occupation code of 9 digits', { occupationCode: '741100011' }, { field: 'occupationCode', code: 'too_long', expected: 8 }],
    ['occupation code with a space', { occupationCode: '7411 001' }, { field: 'occupationCode', code: 'not_digits' }],
    ['occupation code "00"', { occupationCode: '00' }, { field: 'occupationCode', code: 'too_short', expected: 8 }],
    ['NQF level 0', { nqfLevel: 0 }, { field: 'nqfLevel', code: 'out_of_range' }],
    ['NQF level 9', { nqfLevel: 9 }, { field: 'nqfLevel', code: 'out_of_range' }],
    ['NQF level 4.5', { nqfLevel: 4.5 }, { field: 'nqfLevel', code: 'not_integer' }],
    ['NQF level NaN', { nqfLevel: Number.NaN }, { field: 'nqfLevel', code: 'not_integer' }],
    ['31 February', { examDate: '2025-02-31' }, { field: 'examDate', code: 'not_a_date' }],
    ['29 February of a common year', { examDate: '2025-02-29' }, { field: 'examDate', code: 'not_a_date' }],
    ['month 13', { examDate: '2025-13-01' }, { field: 'examDate', code: 'not_a_date' }],
    ['a date in another form', { examDate: '15.03.2025' }, { field: 'examDate', code: 'not_a_date' }],
    ['a year two digits cannot hold', { examDate: '1999-12-31' }, { field: 'examDate', code: 'out_of_range' }],
    ['a year two digits cannot hold (2100)', { examDate: '2100-01-01' }, { field: 'examDate', code: 'out_of_range' }],
    ['accreditation of 3 digits', { centreAccreditation: '001' }, { field: 'centreAccreditation', code: 'too_short', expected: 4 }],
    ['accreditation of 5 digits', { centreAccreditation: '00001' }, { field: 'centreAccreditation', code: 'too_long', expected: 4 }],
    ['accreditation with letters', { centreAccreditation: 'KZ01' }, { field: 'centreAccreditation', code: 'not_digits' }],
    ['sequence 0', { sequence: 0 }, { field: 'sequence', code: 'out_of_range' }],
    ['sequence 100000000', { sequence: 100_000_000 }, { field: 'sequence', code: 'out_of_range' }],
    ['sequence -1', { sequence: -1 }, { field: 'sequence', code: 'out_of_range' }],
    ['sequence 1.5', { sequence: 1.5 }, { field: 'sequence', code: 'not_integer' }],
  ])('%s is refused', (_name, over, issue) => {
    expect(formatIssues(over)).toEqual([issue]);
  });

  it('names every bad field at once', () => {
    expect(
      checkDocumentNumberFields({
        oked: '1',
        occupationCode: 'x',
        nqfLevel: 9,
        examDate: '2025-02-30',
        centreAccreditation: '',
        sequence: 0,
      }).map((i) => i.field),
    ).toEqual(['oked', 'occupationCode', 'nqfLevel', 'examDate', 'centreAccreditation', 'sequence']);
  });
});

describe('parseDocumentNumber', () => {
  it('reads a number back into its fields, 20YY for the year', () => {
    expect(parseDocumentNumber('43210-74110001-4-150325-0001-00000042')).toEqual({
      ok: true,
      fields: base,
      canonical: '43210-74110001-4-150325-0001-00000042',
    });
  });

  it('round-trips: parse(format(f)) is f, for edge values of every level', () => {
    const cases: DocumentNumberFields[] = [
      base,
      { ...base, occupationCode: null },
      { oked: '00000', occupationCode: '99999999', nqfLevel: 1, examDate: '2000-01-01', centreAccreditation: '0000', sequence: 1 },
      { oked: '99999', occupationCode: '10000000', nqfLevel: 8, examDate: '2099-12-31', centreAccreditation: '9999', sequence: 99_999_999 },
      { ...base, examDate: '2028-02-29' },
    ];
    for (const f of cases) {
      const r = parseDocumentNumber(formatDocumentNumber(f));
      expect(r.ok && r.fields).toEqual(f);
    }
  });

  it('reads both "0" and "00000000" as no occupation code; the canonical form is 00000000', () => {
    for (const text of ['43210-0-4-150325-0001-00000042', '43210-00000000-4-150325-0001-00000042']) {
      const r = parseDocumentNumber(text);
      expect(r.ok && r.fields.occupationCode).toBeNull();
      expect(r.ok && r.fields.nqfLevel).toBe(4);
      expect(r.ok && r.canonical).toBe('43210-00000000-4-150325-0001-00000042');
    }
  });

  it('ignores surrounding spaces and nothing else', () => {
    expect(parseDocumentNumber('  43210-74110001-4-150325-0001-00000042\n').ok).toBe(true);
    expect(parseIssues('43210-74110001-4-150325-0001-00000042-1')).toEqual([{ field: 'number', code: 'groups' }]);
    expect(parseIssues('43210 74110001 4 150325 0001 00000042')).toEqual([{ field: 'number', code: 'groups' }]);
    expect(parseIssues('43210–74110001–4–150325–0001–00000042')).toEqual([{ field: 'number', code: 'groups' }]); // en dashes
    expect(parseIssues('')).toEqual([{ field: 'number', code: 'groups' }]);
  });

  it.each<[string, string, DocumentNumberIssue]>([
    ['OKED of 4', '4321-74110001-4-150325-0001-00000042', { field: 'oked', code: 'too_short', expected: 5 }],
    ['OKED of 6', '432100-74110001-4-150325-0001-00000042', { field: 'oked', code: 'too_long', expected: 5 }],
    ['OKED with a letter', '4321O-74110001-4-150325-0001-00000042', { field: 'oked', code: 'not_digits' }],
    ['occupation of 7', '43210-7411000-4-150325-0001-00000042', { field: 'occupationCode', code: 'too_short', expected: 8 }],
    ['occupation of 9', '43210-741100011-4-150325-0001-00000042', { field: 'occupationCode', code: 'too_long', expected: 8 }],
    ['occupation empty', '43210--4-150325-0001-00000042', { field: 'occupationCode', code: 'required' }],
    ['level 0', '43210-74110001-0-150325-0001-00000042', { field: 'nqfLevel', code: 'out_of_range' }],
    ['level 9', '43210-74110001-9-150325-0001-00000042', { field: 'nqfLevel', code: 'out_of_range' }],
    ['level 10', '43210-74110001-10-150325-0001-00000042', { field: 'nqfLevel', code: 'too_long', expected: 1 }],
    ['level empty', '43210-74110001--150325-0001-00000042', { field: 'nqfLevel', code: 'required' }],
    ['31 February', '43210-74110001-4-310225-0001-00000042', { field: 'examDate', code: 'not_a_date' }],
    ['29 February 2025', '43210-74110001-4-290225-0001-00000042', { field: 'examDate', code: 'not_a_date' }],
    ['day 00', '43210-74110001-4-000325-0001-00000042', { field: 'examDate', code: 'not_a_date' }],
    ['date of 5', '43210-74110001-4-15325-0001-00000042', { field: 'examDate', code: 'too_short', expected: 6 }],
    ['date as YYYYMMDD', '43210-74110001-4-20250315-0001-00000042', { field: 'examDate', code: 'too_long', expected: 6 }],
    ['centre of 3', '43210-74110001-4-150325-001-00000042', { field: 'centreAccreditation', code: 'too_short', expected: 4 }],
    ['centre of 5', '43210-74110001-4-150325-00001-00000042', { field: 'centreAccreditation', code: 'too_long', expected: 4 }],
    ['sequence 0', '43210-74110001-4-150325-0001-00000000', { field: 'sequence', code: 'out_of_range' }],
    ['sequence of 9 digits (100000000)', '43210-74110001-4-150325-0001-100000000', { field: 'sequence', code: 'too_long', expected: 8 }],
    ['sequence not padded', '43210-74110001-4-150325-0001-42', { field: 'sequence', code: 'too_short', expected: 8 }],
    ['sequence with a sign', '43210-74110001-4-150325-0001-+0000042', { field: 'sequence', code: 'not_digits' }],
  ])('%s is refused with its level named', (_name, text, issue) => {
    expect(parseIssues(text)).toEqual([issue]);
  });

  it('names every bad level of one number', () => {
    expect(parseIssues('1-2-0-310299-1-0').map((i) => `${i.field}:${i.code}`)).toEqual([
      'oked:too_short',
      'occupationCode:too_short',
      'nqfLevel:out_of_range',
      'examDate:not_a_date',
      'centreAccreditation:too_short',
      'sequence:too_short',
    ]);
  });
});

describe('the issues in words', () => {
  it('says each issue in Kazakh and Russian without Latin letters, and in English', () => {
    const issues: DocumentNumberIssue[] = [
      { field: 'oked', code: 'too_short', expected: 5 },
      { field: 'occupationCode', code: 'not_digits' },
      { field: 'nqfLevel', code: 'out_of_range' },
      { field: 'examDate', code: 'not_a_date' },
      { field: 'centreAccreditation', code: 'too_long', expected: 4 },
      { field: 'sequence', code: 'not_integer' },
      { field: 'sequence', code: 'required' },
      { field: 'number', code: 'groups' },
    ];
    for (const issue of issues) {
      for (const lang of ['kk', 'ru'] as const) {
        const text = documentNumberIssueText(issue, lang);
        expect(text, `${lang} ${issue.field} ${issue.code}`).not.toMatch(/[A-Za-z{}]/);
      }
      expect(documentNumberIssueText(issue, 'en')).not.toMatch(/[{}]/);
    }
    expect(documentNumberIssueText({ field: 'oked', code: 'too_short', expected: 5 }, 'ru')).toBe('Код ОКЭД: не хватает цифр, нужно 5.');
    expect(documentNumberIssueText({ field: 'examDate', code: 'not_a_date' }, 'kk')).toBe('Рәсім өткізілген күн: мұндай күн жоқ.');
  });
});
