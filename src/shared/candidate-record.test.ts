import { describe, expect, it } from 'vitest';
import { parseCandidateCsv, parseCsvRows } from './candidate-csv';
import { candidateChanges, candidateFieldErrors, candidateInputSchema, iinBirthDate } from './candidate-record';

export const GOOD = {
  surname: 'Тестов',
  givenName: 'Нұрлан',
  patronymic: '',
  iin: '900101300017',
  birthDate: '1990-01-01',
  address: 'Астана, Абай д. 1',
  email: 'n@example.kz',
  phone: '+7 701 000 00 00',
  profession: 'Электромонтёр',
  nqfLevel: 4,
  consent: true,
};

describe('candidate record schema', () => {
  it('accepts a full Appendix 1 record and normalises the empty patronymic to null', () => {
    const r = candidateInputSchema.parse(GOOD);
    expect(r.patronymic).toBeNull();
    expect(r.email).toBe('n@example.kz');
  });

  it('names each bad field with a code: checksum, format, date, e-mail, phone, level, consent', () => {
    const bad = candidateInputSchema.safeParse({
      ...GOOD,
      iin: '900101300018',
      email: 'x@',
      phone: 'abc',
      nqfLevel: 9,
      consent: false,
      surname: ' ',
    });
    expect(bad.success).toBe(false);
    expect(candidateFieldErrors(bad.error!)).toEqual({
      iin: 'iin_checksum',
      email: 'email',
      phone: 'phone',
      nqfLevel: 'nqf_level',
      consent: 'consent_required',
      surname: 'required',
    });
    expect(candidateFieldErrors(candidateInputSchema.safeParse({ ...GOOD, iin: '12345' }).error!)).toEqual({ iin: 'iin_format' });
    expect(candidateFieldErrors(candidateInputSchema.safeParse({ ...GOOD, birthDate: '1990-02-30' }).error!)).toEqual({
      birthDate: 'date',
    });
    expect(candidateFieldErrors(candidateInputSchema.safeParse({ ...GOOD, extra: 1 }).error!)).toEqual({ '(form)': 'invalid' });
  });

  it('refuses a birth date the IIN contradicts', () => {
    expect(iinBirthDate('900101300017')).toBe('1990-01-01');
    expect(candidateFieldErrors(candidateInputSchema.safeParse({ ...GOOD, birthDate: '1990-01-02' }).error!)).toEqual({
      birthDate: 'birth_date_mismatch',
    });
  });

  it('lists the changed fields only', () => {
    expect(candidateChanges({ ...GOOD, patronymic: null }, { ...GOOD, patronymic: null, phone: '+7 702 000 00 00' })).toEqual({
      phone: { from: GOOD.phone, to: '+7 702 000 00 00' },
    });
  });
});

describe('candidate CSV', () => {
  it('reads quotes, semicolons, CRLF and a BOM', () => {
    expect(parseCsvRows('\uFEFFa;b\r\n"x;""y""";2\r\n\r\n')).toEqual([
      ['a', 'b'],
      ['x;"y"', '2'],
    ]);
  });

  it('maps the header to form fields and each line to an input with its line number', () => {
    const csv =
      'Surname,Given name,IIN,Birth date,Address,Phone,Profession,NQF level,Consent\nТестов,Нұрлан,900101300017,1990-01-01,Астана,+77010000000,Электрик,4,да\n';
    const parsed = parseCandidateCsv(csv);
    expect(parsed).toMatchObject({ ok: true, rows: [{ line: 2, input: { surname: 'Тестов', nqfLevel: 4, consent: true } }] });
    if (!parsed.ok) throw new Error('unreachable');
    expect(candidateInputSchema.safeParse(parsed.rows[0]!.input).success).toBe(true);
  });

  it('refuses a file with an unknown or a missing column', () => {
    expect(parseCandidateCsv('surname,shoe size\nA,42')).toEqual({ ok: false, code: 'csv_unknown_column', column: 'shoesize' });
    expect(parseCandidateCsv('surname,given name,birth date\nA,B,1990-01-01')).toEqual({
      ok: false,
      code: 'csv_missing_column',
      column: 'iin',
    });
    expect(parseCandidateCsv('surname')).toEqual({ ok: false, code: 'csv_empty' });
  });
});
