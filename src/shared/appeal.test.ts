/** Rules 20-23: the appeal window, the decision's deadline, who may appeal, and the filing's checks. */
import { describe, expect, it } from 'vitest';
import {
  APPEAL_FILE_MAX_BYTES,
  APPEAL_FILES_MAX,
  appealDecisionDeadline,
  appealDecisionSchema,
  appealDocumentDueBy,
  appealFilingSchema,
  appealIneligibility,
  appealWindow,
  base64Size,
  sniffAppealFile,
} from './appeal';
import { createWorkingCalendar } from './working-days';

const TZ = 'Asia/Almaty';
const almaty = (date: string, time = '11:00') => Date.parse(`${date}T${time}:00+05:00`);

describe('the appeal window (rule 20: 5 working days of receiving the result)', () => {
  // The notice on Thursday 30 April 2026. Not counted: 1 May (Unity Day), 2-3 May (weekend), 7 May (Defender's Day),
  // 9-10 May (Victory Day on a Saturday, Sunday), 11 May (Victory Day's day off moved to Monday). Counted: 4, 5, 6, 8, 12 May.
  const received = almaty('2026-04-30', '16:00');

  it('across holidays and weekends the last day is Tuesday 12 May; it is open to its last minute', () => {
    expect(appealWindow(received, almaty('2026-05-04'), TZ)).toEqual({ ok: true, closesOn: '2026-05-12' });
    expect(appealWindow(received, almaty('2026-05-12', '23:59'), TZ)).toEqual({ ok: true, closesOn: '2026-05-12' });
  });

  it('the next day is refused with the date it closed', () => {
    expect(appealWindow(received, almaty('2026-05-13', '00:00'), TZ)).toEqual({
      ok: false,
      reason: 'appeal_closed',
      closedOn: '2026-05-12',
    });
    expect(appealWindow(received, almaty('2026-06-01'), TZ)).toEqual({ ok: false, reason: 'appeal_closed', closedOn: '2026-05-12' });
  });

  it('the day of receipt never counts, whatever the hour (Tuesday 14 April 2026: plain weekdays to Tuesday 21 April)', () => {
    expect(appealWindow(almaty('2026-04-14', '23:30'), almaty('2026-04-21', '18:00'), TZ)).toEqual({ ok: true, closesOn: '2026-04-21' });
    expect(appealWindow(almaty('2026-04-14', '00:10'), almaty('2026-04-22', '09:00'), TZ)).toMatchObject({
      ok: false,
      closedOn: '2026-04-21',
    });
  });

  it('a year the calendar lacks is an error code, never a guess', () => {
    const empty = createWorkingCalendar([], []);
    expect(appealWindow(received, received, TZ, empty)).toMatchObject({ ok: false, reason: 'calendar' });
  });
});

describe('the decision (rule 22: 5 working days of registration; rule 23: the document within 3 more)', () => {
  const registered = almaty('2026-05-06', '10:00'); // Wednesday; 7 May is a holiday, 9-11 May days off: counted 8, 12, 13, 14, 15 May

  it('is due on Friday 15 May: pending, due today, overdue', () => {
    expect(appealDecisionDeadline(registered, null, almaty('2026-05-08'), TZ)).toEqual({ due: '2026-05-15', state: 'pending' });
    expect(appealDecisionDeadline(registered, null, almaty('2026-05-15', '17:00'), TZ)).toEqual({ due: '2026-05-15', state: 'due_today' });
    expect(appealDecisionDeadline(registered, null, almaty('2026-05-18', '09:00'), TZ)).toEqual({ due: '2026-05-15', state: 'overdue' });
  });

  it('met on the last day, late the day after', () => {
    expect(appealDecisionDeadline(registered, almaty('2026-05-15', '23:00'), almaty('2026-06-01'), TZ)).toEqual({
      due: '2026-05-15',
      state: 'met',
    });
    expect(appealDecisionDeadline(registered, almaty('2026-05-18', '08:00'), almaty('2026-06-01'), TZ)).toEqual({
      due: '2026-05-15',
      state: 'late',
    });
  });

  it('an upheld appeal decided on Wednesday 6 May has its document due on Wednesday 13 May (8, 12, 13)', () => {
    expect(appealDocumentDueBy(registered, TZ)).toBe('2026-05-13');
    expect(appealDocumentDueBy(registered, TZ, createWorkingCalendar([], []))).toBeNull();
  });
});

describe('who may appeal', () => {
  it('a failed procedure whose notice the candidate received, once', () => {
    expect(appealIneligibility({ outcome: 'failed', noticeIssuedAt: 1, hasAppeal: false })).toBeNull();
    expect(appealIneligibility({ outcome: 'failed', noticeIssuedAt: 1, hasAppeal: true })).toBe('already_appealed');
  });
  it('not before the result is received, not after a pass', () => {
    expect(appealIneligibility({ outcome: null, noticeIssuedAt: null, hasAppeal: false })).toBe('no_result');
    expect(appealIneligibility({ outcome: 'failed', noticeIssuedAt: null, hasAppeal: false })).toBe('no_result');
    expect(appealIneligibility({ outcome: 'passed', noticeIssuedAt: null, hasAppeal: false })).toBe('passed');
  });
});

describe('the filing', () => {
  const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
  const text = 'I disagree with the practical assessment of item 2.';

  it('takes a text and up to three images or PDFs', () => {
    const ok = appealFilingSchema.safeParse({
      text: `  ${text} `,
      files: [{ name: 'scan.pdf', type: 'application/pdf', data: b64([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]) }],
    });
    expect(ok.success && ok.data.text).toBe(text);
    expect(appealFilingSchema.parse({ text }).files).toEqual([]);
  });

  it('refuses a missing or too short or too long text, a fourth file, another type, a bad name, bad base64, an extra field', () => {
    const file = { name: 'a.png', type: 'image/png', data: b64([1, 2, 3]) };
    for (const body of [
      {},
      { text: ' short ' },
      { text: 'x'.repeat(4001) },
      { text, files: Array.from({ length: APPEAL_FILES_MAX + 1 }, () => file) },
      { text, files: [{ ...file, type: 'text/html' }] },
      { text, files: [{ ...file, name: '../../etc/passwd' }] },
      { text, files: [{ ...file, data: 'not base64!' }] },
      { text, extra: 1 },
    ])
      expect(appealFilingSchema.safeParse(body).success, JSON.stringify(body).slice(0, 80)).toBe(false);
  });

  it('refuses a file over 2 MB by its encoded length, before decoding it', () => {
    const big = 'A'.repeat(Math.ceil((APPEAL_FILE_MAX_BYTES + 3) / 3) * 4);
    expect(base64Size(big)).toBeGreaterThan(APPEAL_FILE_MAX_BYTES);
    expect(appealFilingSchema.safeParse({ text, files: [{ name: 'big.jpg', type: 'image/jpeg', data: big }] }).success).toBe(false);
    expect(base64Size(b64([1, 2, 3, 4]))).toBe(4);
  });

  it('knows JPEG, PNG and PDF by their first bytes, nothing else', () => {
    expect(sniffAppealFile(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffAppealFile(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffAppealFile(new TextEncoder().encode('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffAppealFile(new TextEncoder().encode('<html><script>'))).toBeNull();
    expect(sniffAppealFile(new Uint8Array([0xff, 0xd8]))).toBeNull();
    expect(sniffAppealFile(new Uint8Array([]))).toBeNull();
  });

  it('the decision is upheld or rejected, with reasons', () => {
    expect(appealDecisionSchema.safeParse({ decision: 'upheld', reasons: 'Item 2 was assessed against an old map.' }).success).toBe(true);
    expect(appealDecisionSchema.safeParse({ decision: 'upheld', reasons: '  ' }).success).toBe(false);
    expect(appealDecisionSchema.safeParse({ decision: 'maybe', reasons: 'x' }).success).toBe(false);
  });
});
