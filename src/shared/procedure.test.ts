/** The procedure's decision (rules 13-16), signatures (rule 17), stage and deadlines (rules 17-19), as tables. */
import { describe, expect, it } from 'vitest';
import type { StaffActor } from './control-room';
import type { TechMapItem } from './programme';
import {
  checkPractical,
  fullySignedAt,
  maySign,
  procedureDeadlines,
  procedureDecision,
  procedureEndedAt,
  procedureStage,
  protocolBasis,
  workingDayDeadline,
  type PracticalAssessment,
  type ProcedureFacts,
  type ProtocolSnapshot,
} from './procedure';

const TZ = 'Asia/Almaty';
/** An instant at a wall-clock time in Almaty (UTC+5, no DST). */
const almaty = (date: string, time = '12:00') => Date.parse(`${date}T${time}:00+05:00`);

const chair: StaffActor = { userId: 'u-chair', name: 'Chair', role: 'commission_chair' };
const MAP: TechMapItem[] = [
  { id: 'safety', text: { kk: 'Қауіпсіздік', ru: 'Безопасность', en: 'Safety' } },
  { id: 'assembly', text: { kk: 'Жинау', ru: 'Сборка', en: 'Assembly' } },
];
const practical = (decision: 'passed' | 'failed', at = almaty('2025-03-20', '16:00')): PracticalAssessment => ({
  items: [
    { itemId: 'safety', text: MAP[0]!.text, passed: true, comment: null },
    { itemId: 'assembly', text: MAP[1]!.text, passed: decision === 'passed', comment: decision === 'passed' ? null : 'Loose terminal' },
  ],
  decision,
  by: chair,
  at,
});
const admitted = { correct: 25, total: 30, percent: 83.3, admitted: true };
const notAdmitted = { correct: 21, total: 30, percent: 70, admitted: false };
const facts = (over: Partial<ProcedureFacts>): ProcedureFacts => ({
  status: 'submitted',
  finishedAt: almaty('2025-03-20', '10:00'),
  result: admitted,
  verdict: null,
  practical: null,
  ...over,
});

describe('the decision (rules 13-16)', () => {
  it.each<[string, Partial<ProcedureFacts>, ReturnType<typeof procedureDecision>]>([
    ['admitted, practical not yet assessed', {}, { kind: 'practical_due' }],
    ['admitted, practical passed', { practical: practical('passed') }, { kind: 'decided', outcome: 'passed', reason: null }],
    ['admitted, practical failed', { practical: practical('failed') }, { kind: 'decided', outcome: 'failed', reason: 'practical' }],
    [
      '70% exactly is not admitted (rule 15, graded by the centre)',
      { result: notAdmitted },
      { kind: 'decided', outcome: 'failed', reason: 'theory' },
    ],
    [
      'ended for a repeated violation (rule 13)',
      { status: 'terminated', result: { ...admitted, admitted: false } },
      { kind: 'decided', outcome: 'failed', reason: 'violation' },
    ],
    [
      'ended for a violation before the first question (no result)',
      { status: 'terminated', result: null },
      { kind: 'decided', outcome: 'failed', reason: 'violation' },
    ],
    [
      'a reviewer confirmed a violation in a passed exam',
      { verdict: 'violation_confirmed', practical: practical('passed') },
      { kind: 'decided', outcome: 'failed', reason: 'violation' },
    ],
    [
      '"no violation" changes nothing',
      { verdict: 'no_violation', practical: practical('passed') },
      { kind: 'decided', outcome: 'passed', reason: null },
    ],
    ['suspended for a technical fault (rule 11): rescheduled, not decided', { status: 'suspended', result: null }, { kind: 'none' }],
    ['still running', { status: 'in_progress', result: null, finishedAt: null }, { kind: 'none' }],
    ['an unused link', { status: 'issued', result: null, finishedAt: null }, { kind: 'none' }],
  ])('%s', (_what, over, expected) => {
    expect(procedureDecision(facts(over))).toEqual(expected);
  });

  it('the procedure ends with the practical assessment, or with the theory exam when there is none', () => {
    expect(procedureEndedAt(facts({ practical: practical('passed', 123) }))).toBe(123);
    expect(procedureEndedAt(facts({ result: notAdmitted }))).toBe(almaty('2025-03-20', '10:00'));
  });

  it('the basis of the protocol carries no practical when a violation decided it', () => {
    const basis = protocolBasis(facts({ verdict: 'violation_confirmed', practical: practical('passed') }))!;
    expect(basis).toMatchObject({
      outcome: 'failed',
      reason: 'violation',
      practical: null,
      violation: { terminated: false, verdictConfirmed: true },
    });
    expect(protocolBasis(facts({}))).toBeNull(); // nothing to decide before the practical stage
  });
});

describe('the practical assessment against the technological map (rule 16)', () => {
  const item = (itemId: string, passed: boolean, comment: string | null = null) => ({ itemId, passed, comment });
  /** The item as recorded: with the map's text. */
  const rec = (itemId: string, passed: boolean, comment: string | null = null) => ({
    itemId,
    text: MAP.find((m) => m.id === itemId)!.text,
    passed,
    comment,
  });
  it.each<[string, Parameters<typeof checkPractical>[1], ReturnType<typeof checkPractical>]>([
    [
      'every item passed, passed',
      { items: [item('assembly', true), item('safety', true)], decision: 'passed' },
      { ok: true, items: [rec('safety', true), rec('assembly', true)] },
    ],
    [
      'one item failed with a comment, failed',
      { items: [item('safety', true, '  '), item('assembly', false, ' Loose terminal ')], decision: 'failed' },
      { ok: true, items: [rec('safety', true), rec('assembly', false, 'Loose terminal')] },
    ],
    [
      'a failed item needs a comment',
      { items: [item('safety', true), item('assembly', false, ' ')], decision: 'failed' },
      { ok: false, reason: 'comment_required', itemIds: ['assembly'] },
    ],
    [
      'passed with a failed item contradicts the items',
      { items: [item('safety', true), item('assembly', false, 'x')], decision: 'passed' },
      { ok: false, reason: 'decision_contradicts_items' },
    ],
    [
      'failed with every item passed contradicts the items',
      { items: [item('safety', true), item('assembly', true)], decision: 'failed' },
      { ok: false, reason: 'decision_contradicts_items' },
    ],
    [
      'an item missing',
      { items: [item('safety', true)], decision: 'passed' },
      { ok: false, reason: 'items_mismatch', itemIds: ['assembly'] },
    ],
    [
      'an unknown item',
      { items: [item('safety', true), item('assembly', true), item('wiring', true)], decision: 'passed' },
      { ok: false, reason: 'items_mismatch', itemIds: ['wiring'] },
    ],
    [
      'an item twice',
      { items: [item('safety', true), item('safety', true), item('assembly', true)], decision: 'passed' },
      { ok: false, reason: 'items_mismatch', itemIds: ['safety'] },
    ],
  ])('%s', (_what, input, expected) => {
    expect(checkPractical(MAP, input)).toEqual(expected);
  });

  it('a programme without a map cannot have a practical assessment', () => {
    expect(checkPractical([], { items: [], decision: 'passed' })).toEqual({ ok: false, reason: 'no_technological_map' });
  });
});

describe('signatures (rule 17): the chair who drew the protocol and every member named on it', () => {
  const basis = protocolBasis(facts({ practical: practical('passed') }))!;
  const protocol: ProtocolSnapshot = {
    number: '2025-000001',
    violationActNumber: null,
    drawnAt: 1,
    chair: { userId: 'u-chair', name: 'Chair' },
    members: [
      { userId: 'u-m1', name: 'M1' },
      { userId: 'u-m2', name: 'M2' },
    ],
    basis,
  };
  const sig = (userId: string, at: number) => ({ userId, at });

  it('is fully signed only when each of them has signed, at the last of their signatures', () => {
    expect(fullySignedAt(protocol, [])).toBeNull();
    expect(fullySignedAt(protocol, [sig('u-chair', 10), sig('u-m1', 20)])).toBeNull();
    expect(fullySignedAt(protocol, [sig('u-m2', 30), sig('u-chair', 10), sig('u-m1', 20)])).toBe(30);
    // Somebody else's signature neither counts nor replaces a missing one.
    expect(fullySignedAt(protocol, [sig('u-chair', 10), sig('u-m1', 20), sig('u-other', 40)])).toBeNull();
    expect(fullySignedAt({ ...protocol, members: [] }, [sig('u-chair', 10)])).toBe(10);
  });

  it('refuses who is not named, who signed already, and a protocol whose basis changed', () => {
    expect(maySign(protocol, [], 'u-m1', basis)).toBeNull();
    expect(maySign(protocol, [], 'u-other', basis)).toBe('not_on_commission');
    expect(maySign(protocol, [{ userId: 'u-m1' }], 'u-m1', basis)).toBe('already_signed');
    const changed = protocolBasis(facts({ practical: practical('failed') }));
    expect(maySign(protocol, [], 'u-m1', changed)).toBe('protocol_stale');
    expect(maySign(protocol, [], 'u-m1', null)).toBe('protocol_stale');
  });
});

describe('the stage', () => {
  const passedFacts = facts({ practical: practical('passed') });
  const basis = protocolBasis(passedFacts)!;
  const protocol: ProtocolSnapshot = {
    number: 'n',
    violationActNumber: null,
    drawnAt: 1,
    chair: { userId: 'c', name: 'C' },
    members: [{ userId: 'm', name: 'M' }],
    basis,
  };
  const none = { recognition: false, notice: false };
  const signed = [
    { userId: 'c', at: 5 },
    { userId: 'm', at: 6 },
  ];
  it.each<[string, Parameters<typeof procedureStage>[0], ReturnType<typeof procedureStage>]>([
    ['not a procedure', { decision: { kind: 'none' }, protocol: null, signatures: [], basis: null, issued: none }, null],
    ['practical due', { decision: { kind: 'practical_due' }, protocol: null, signatures: [], basis: null, issued: none }, 'practical_due'],
    [
      'protocol to draw',
      { decision: procedureDecision(passedFacts), protocol: null, signatures: [], basis, issued: none },
      'protocol_to_draw',
    ],
    [
      'protocol to sign',
      { decision: procedureDecision(passedFacts), protocol, signatures: [signed[0]!], basis, issued: none },
      'protocol_to_sign',
    ],
    [
      'a stale protocol is to be drawn again',
      {
        decision: { kind: 'decided', outcome: 'failed', reason: 'violation' },
        protocol,
        signatures: [signed[0]!],
        basis: protocolBasis(facts({ verdict: 'violation_confirmed', practical: practical('passed') })),
        issued: none,
      },
      'protocol_to_draw',
    ],
    [
      'signed, document not issued yet',
      { decision: procedureDecision(passedFacts), protocol, signatures: signed, basis, issued: none },
      'signed',
    ],
    [
      'document issued',
      { decision: procedureDecision(passedFacts), protocol, signatures: signed, basis, issued: { recognition: true, notice: false } },
      'document_issued',
    ],
    [
      'notice issued',
      {
        decision: { kind: 'decided', outcome: 'failed', reason: 'theory' },
        protocol: { ...protocol, basis: { ...basis, outcome: 'failed', reason: 'theory' } },
        signatures: signed,
        basis: null,
        issued: { recognition: false, notice: true },
      },
      'notice_issued',
    ],
    [
      'a fully signed protocol is final, whatever came after',
      {
        decision: { kind: 'decided', outcome: 'failed', reason: 'violation' },
        protocol,
        signatures: signed,
        basis: null,
        issued: none,
      },
      'signed',
    ],
  ])('%s', (_what, input, expected) => {
    expect(procedureStage(input)).toBe(expected);
  });
});

describe('deadlines in Kazakh working days', () => {
  it.each<[string, number, number, string]>([
    // Nauryz 2025: 21 March (Friday) and the 22nd-23rd (a weekend, moved to Monday 24 and Tuesday 25): day 1 is the 26th.
    ['rule 17: an exam ended on Thursday 20 March 2025 across Nauryz', almaty('2025-03-20', '15:00'), 2, '2025-03-27'],
    ['23:30 in Almaty counts from that day', almaty('2025-03-25', '23:30'), 2, '2025-03-27'],
    ['00:30 in Almaty counts from the next day', almaty('2025-03-26', '00:30'), 2, '2025-03-28'],
    // 1 May (Thursday) a holiday, 2 May working, the weekend, then 5 and 6 May.
    ['rule 18: a protocol signed on Wednesday 30 April 2025', almaty('2025-04-30'), 3, '2025-05-06'],
    // 7 May (Defender of the Fatherland Day) and 9 May (Victory Day) are holidays.
    ['rule 19: a protocol signed on Tuesday 6 May 2025', almaty('2025-05-06'), 3, '2025-05-13'],
    // New Year 1-2 January 2026, the weekend, 5 and 6 January, Orthodox Christmas on the 7th, then the 8th.
    ['across the New Year 2026 and 7 January', almaty('2025-12-31'), 3, '2026-01-08'],
  ])('%s', (_what, from, days, due) => {
    expect(workingDayDeadline(from, days, null, from, TZ)).toMatchObject({ due });
  });

  it('pending, due today, overdue; met or late once done', () => {
    const ended = almaty('2025-03-20', '15:00'); // due 2025-03-27
    expect(workingDayDeadline(ended, 2, null, almaty('2025-03-26', '23:59'), TZ)).toEqual({ due: '2025-03-27', state: 'pending' });
    expect(workingDayDeadline(ended, 2, null, almaty('2025-03-27', '00:01'), TZ)).toEqual({ due: '2025-03-27', state: 'due_today' });
    expect(workingDayDeadline(ended, 2, null, almaty('2025-03-28', '00:00'), TZ)).toEqual({ due: '2025-03-27', state: 'overdue' });
    expect(workingDayDeadline(ended, 2, almaty('2025-03-27', '23:59'), almaty('2025-04-10'), TZ)).toEqual({
      due: '2025-03-27',
      state: 'met',
    });
    expect(workingDayDeadline(ended, 2, almaty('2025-03-28', '09:00'), almaty('2025-04-10'), TZ)).toEqual({
      due: '2025-03-27',
      state: 'late',
    });
  });

  it('a year the calendar does not hold is an error, never a guess', () => {
    // 30 December 2027 (Thursday): 31 December is day 1, day 2 falls in 2028.
    expect(workingDayDeadline(almaty('2027-12-30'), 3, null, almaty('2027-12-30'), TZ)).toEqual({
      due: null,
      error: 'year_not_in_calendar',
    });
  });

  it('the protocol deadline runs from the end of the procedure, the document one from the last signature', () => {
    expect(
      procedureDeadlines({ decided: false, endedAt: almaty('2025-03-20'), signedAt: null, issuedAt: null }, almaty('2025-03-21'), TZ),
    ).toEqual({ protocol: null, document: null });
    expect(
      procedureDeadlines(
        { decided: true, endedAt: almaty('2025-03-20', '16:00'), signedAt: null, issuedAt: null },
        almaty('2025-03-28'),
        TZ,
      ),
    ).toEqual({ protocol: { due: '2025-03-27', state: 'overdue' }, document: null });
    expect(
      procedureDeadlines(
        { decided: true, endedAt: almaty('2025-04-28'), signedAt: almaty('2025-04-30'), issuedAt: null },
        almaty('2025-05-06'),
        TZ,
      ),
    ).toEqual({ protocol: { due: '2025-04-30', state: 'met' }, document: { due: '2025-05-06', state: 'due_today' } });
  });
});
