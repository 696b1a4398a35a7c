/** Rule 18: the NQS export's range check and its CSV (RFC 4180, UTF-8 with a BOM, no formula runs in a spreadsheet). */
import { describe, expect, it } from 'vitest';
import { csvCell, NQS_COLUMNS, NQS_MAX_RANGE_DAYS, nqsCsv, nqsQuerySchema, nqsRangeReason, type NqsRow } from './nqs-export';

const reasonOf = (query: Record<string, string>) => {
  const parsed = nqsQuerySchema.safeParse(query);
  return parsed.success ? 'ok' : (nqsRangeReason(parsed.error) ?? 'invalid');
};

describe('the range', () => {
  it('takes one day, both ends included, json by default', () => {
    expect(nqsQuerySchema.parse({ from: '2026-04-14', to: '2026-04-14' })).toEqual({
      from: '2026-04-14',
      to: '2026-04-14',
      format: 'json',
    });
    expect(nqsQuerySchema.parse({ from: '2026-01-01', to: '2026-12-31', format: 'csv' }).format).toBe('csv');
  });

  it('refuses dates that are not calendar dates', () => {
    expect(reasonOf({ from: '2026-02-30', to: '2026-03-01' })).toBe('bad_date');
    expect(reasonOf({ from: '2026-4-1', to: '2026-04-02' })).toBe('bad_date');
    expect(reasonOf({ from: '14.04.2026', to: '2026-04-14' })).toBe('bad_date');
    expect(reasonOf({ from: '2028-02-29', to: '2028-03-01' })).toBe('ok'); // a leap day
    expect(reasonOf({ from: '2027-02-29', to: '2027-03-01' })).toBe('bad_date');
  });

  it('refuses an end before the start and a range over a leap year long', () => {
    expect(reasonOf({ from: '2026-04-15', to: '2026-04-14' })).toBe('range_order');
    expect(reasonOf({ from: '2028-01-01', to: '2028-12-31' })).toBe('ok'); // 366 days
    expect(NQS_MAX_RANGE_DAYS).toBe(366);
    expect(reasonOf({ from: '2026-01-01', to: '2027-01-02' })).toBe('range_too_long'); // 367 days
  });

  it('refuses a missing end, another format and unknown parameters without a range reason', () => {
    expect(reasonOf({ from: '2026-04-14' })).toBe('invalid');
    expect(reasonOf({ from: '2026-04-14', to: '2026-04-14', format: 'xlsx' })).toBe('invalid');
    expect(reasonOf({ from: '2026-04-14', to: '2026-04-14', iin: '1' })).toBe('invalid');
  });
});

describe('a CSV cell', () => {
  it('quotes commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
  });

  it('prefixes a text a spreadsheet would run as a formula', () => {
    for (const bad of ['=1+1', '+7 701', '-2', '@SUM(A1)', '\tx']) expect(csvCell(bad).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes numbers as numbers and nothing for null', () => {
    expect(csvCell(86.67)).toBe('86.67');
    expect(csvCell(null)).toBe('');
  });
});

const row: NqsRow = {
  result: 'passed',
  failureReason: '',
  documentKind: 'recognition',
  documentNumber: '43210-74110001-4-140426-0001-00000001',
  issuedOn: '2026-04-14',
  revokedOn: '',
  iin: '950101400123',
  surname: 'Сейтқали',
  givenName: 'Айгерім',
  patronymic: 'Нұрланқызы',
  programmeCode: 'EL-4',
  oked: '43210',
  occupationCode: '74110001',
  nqfLevel: 4,
  professionKk: 'Электр монтаушы',
  professionRu: 'Электромонтажник, 4 разряд',
  examDate: '2026-04-14',
  examLanguage: 'kk',
  theoryCorrect: 25,
  theoryTotal: 30,
  theoryPercent: 83.33,
  practicalDecision: 'passed',
  protocolNumber: '2026-000001',
  protocolDate: '2026-04-14',
  centreAccreditationNo: 'KZ-ACC-0001',
};

describe('the CSV file', () => {
  it('starts with a BOM and the header, ends lines with CRLF, keeps Kazakh letters and the IIN as text', () => {
    const csv = nqsCsv([row, { ...row, surname: '=cmd', result: 'failed' }]);
    expect(csv.startsWith('\uFEFFresult,failureReason,documentKind,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(4); // header, two rows, the empty tail after the last CRLF
    expect(lines[3]).toBe('');
    expect(lines[0]!.split(',')).toEqual([...NQS_COLUMNS]);
    expect(lines[1]).toContain('Сейтқали,Айгерім,Нұрланқызы');
    expect(lines[1]).toContain(',950101400123,');
    expect(lines[1]).toContain('"Электромонтажник, 4 разряд"');
    expect(lines[2]).toContain(",'=cmd,");
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('is the header alone for no rows', () => {
    expect(nqsCsv([])).toBe(`\uFEFF${NQS_COLUMNS.join(',')}\r\n`);
  });
});
