/** The commission's view logic: stage words and colours, deadlines (rules 17-19), filters, and who may act (rules 16, 17). */
import { describe, expect, it } from 'vitest';
import type { ProcedureDetail } from '../shared/procedure-api';
import { en } from '../ui/i18n/en';
import { kk } from '../ui/i18n/kk';
import { ru } from '../ui/i18n/ru';
import { PROCEDURE_REASONS } from '../shared/procedure-api';
import { PROCEDURE_STAGES, type Deadline } from '../shared/procedure';
import {
  allowedActions,
  currentDeadline,
  deadlineView,
  filterProcedures,
  isStale,
  refusalKey,
  signatureRows,
  stageTone,
} from './commission-view';

const CHAIR = { userId: 'chair-1', role: 'commission_chair' as const };
const MEMBER = { userId: 'member-1', role: 'commission_member' as const };
const OTHER = { userId: 'member-2', role: 'commission_member' as const };
const basis = { outcome: 'passed' as const, reason: null, theory: null, practical: null, violation: null, endedAt: 0 };
const protocol = {
  number: '2026-000001',
  violationActNumber: null,
  drawnAt: 1,
  chair: { userId: 'chair-1', name: 'Chair' },
  members: [{ userId: 'member-1', name: 'Member' }],
  basis,
};

type Detail = Pick<ProcedureDetail, 'stage' | 'decision' | 'theory' | 'protocolFull' | 'signatures'>;
const admitted = { correct: 25, total: 30, percent: 83.3, admitted: true };

describe('stages', () => {
  it('every stage has words in kk, ru and en and a tone', () => {
    for (const s of PROCEDURE_STAGES) {
      for (const c of [en, kk, ru]) expect(c[`cm.stage.${s}`]).toBeTruthy();
    }
    expect(stageTone('practical_due')).toBe('action');
    expect(stageTone('protocol_to_sign')).toBe('waiting');
    expect(stageTone('document_issued')).toBe('done');
    expect(stageTone('notice_issued')).toBe('done');
  });
});

describe('deadlines (rules 17-19)', () => {
  it('the document deadline runs once the protocol is signed, before that the protocol deadline', () => {
    const p: Deadline = { due: '2026-04-16', state: 'met' };
    const d: Deadline = { due: '2026-04-21', state: 'pending' };
    expect(currentDeadline({ deadlines: { protocol: p, document: d } })).toEqual({ which: 'document', deadline: d });
    expect(currentDeadline({ deadlines: { protocol: p, document: null } })).toEqual({ which: 'protocol', deadline: p });
    expect(currentDeadline({ deadlines: { protocol: null, document: null } })).toBeNull();
  });
  it('due today and overdue are highlighted; a calendar without the year is an error in words', () => {
    expect(deadlineView({ due: '2026-04-16', state: 'due_today' }, 'ru')).toEqual({
      key: 'cm.deadline.due_today',
      date: '16.04.2026',
      tone: 'today',
    });
    expect(deadlineView({ due: '2026-04-16', state: 'overdue' }, 'ru').tone).toBe('overdue');
    expect(deadlineView({ due: '2026-04-16', state: 'late' }, 'ru').tone).toBe('overdue');
    expect(deadlineView({ due: '2026-04-16', state: 'pending' }, 'ru').tone).toBe('ok');
    const error = deadlineView({ due: null, error: 'year_not_in_calendar' }, 'kk');
    expect(error).toEqual({ key: 'cm.deadline.error.year_not_in_calendar', date: '', tone: 'error' });
    for (const c of [en, kk, ru]) expect(c[error.key as keyof typeof en]).toMatch(/\S/);
  });
});

describe('dashboard filters', () => {
  const rows = [
    { id: 'a', stage: 'practical_due' as const, deadlines: { protocol: null, document: null } },
    {
      id: 'b',
      stage: 'protocol_to_sign' as const,
      deadlines: { protocol: { due: '2026-04-16', state: 'overdue' } as Deadline, document: null },
    },
    {
      id: 'c',
      stage: 'signed' as const,
      deadlines: {
        protocol: { due: '2026-04-16', state: 'late' } as Deadline,
        document: { due: '2026-04-21', state: 'overdue' } as Deadline,
      },
    },
    {
      id: 'd',
      stage: 'protocol_to_draw' as const,
      deadlines: { protocol: { due: '2026-04-16', state: 'due_today' } as Deadline, document: null },
    },
  ];
  it('by stage, overdue only, both, and none', () => {
    expect(filterProcedures(rows, { stage: '', overdueOnly: false }).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(filterProcedures(rows, { stage: 'signed', overdueOnly: false }).map((r) => r.id)).toEqual(['c']);
    expect(filterProcedures(rows, { stage: '', overdueOnly: true }).map((r) => r.id)).toEqual(['b', 'c']);
    expect(filterProcedures(rows, { stage: 'protocol_to_draw', overdueOnly: true })).toEqual([]);
  });
});

describe('who may act', () => {
  const due: Detail = { stage: 'practical_due', decision: { kind: 'practical_due' }, theory: admitted, protocolFull: null, signatures: [] };
  it('rule 16: the commission assesses the practical task of an admitted candidate; an admin does not', () => {
    expect(allowedActions(due, MEMBER)).toEqual({ assess: true, draw: false, sign: false, issue: false });
    expect(allowedActions(due, CHAIR).assess).toBe(true);
    expect(allowedActions(due, { userId: 'x', role: 'admin' }).assess).toBe(false);
  });
  it('no practical stage after a violation or without admission (rules 13-15)', () => {
    const violation: Detail = { ...due, stage: 'protocol_to_draw', decision: { kind: 'decided', outcome: 'failed', reason: 'violation' } };
    expect(allowedActions(violation, MEMBER).assess).toBe(false);
    expect(allowedActions(violation, CHAIR).draw).toBe(true);
    const theory: Detail = {
      ...due,
      stage: 'protocol_to_draw',
      theory: { ...admitted, admitted: false },
      decision: { kind: 'decided', outcome: 'failed', reason: 'theory' },
    };
    expect(allowedActions(theory, CHAIR)).toEqual({ assess: false, draw: true, sign: false, issue: false });
  });
  it('rule 17: only the chair draws up; only those the protocol names sign, once', () => {
    const toSign: Detail = {
      ...due,
      stage: 'protocol_to_sign',
      decision: { kind: 'decided', outcome: 'passed', reason: null },
      protocolFull: protocol,
    };
    expect(allowedActions(toSign, MEMBER)).toMatchObject({ draw: false, sign: true });
    expect(allowedActions(toSign, CHAIR)).toMatchObject({ draw: true, sign: true });
    expect(allowedActions(toSign, OTHER).sign).toBe(false);
    const chairSigned = { ...toSign, signatures: [{ userId: 'chair-1', name: 'Chair', role: 'commission_chair' as const, at: 5 }] };
    expect(allowedActions(chairSigned, CHAIR).sign).toBe(false);
    expect(allowedActions(chairSigned, MEMBER).sign).toBe(true);
    // A stale protocol (stage back to protocol_to_draw) is not signed until it is drawn up again.
    expect(allowedActions({ ...toSign, stage: 'protocol_to_draw' }, MEMBER).sign).toBe(false);
  });
  it('a signed protocol is final: nothing but issuing what it calls for (chair or admin)', () => {
    const signed: Detail = {
      ...due,
      stage: 'signed',
      decision: { kind: 'decided', outcome: 'passed', reason: null },
      protocolFull: protocol,
    };
    expect(allowedActions(signed, CHAIR)).toEqual({ assess: false, draw: false, sign: false, issue: true });
    expect(allowedActions(signed, { userId: 'a', role: 'admin' }).issue).toBe(true);
    expect(allowedActions(signed, MEMBER).issue).toBe(false);
    expect(allowedActions({ ...signed, stage: 'document_issued' }, CHAIR).issue).toBe(false);
  });
});

describe('signatures and refusals', () => {
  it('each seat, chair first, signed when, or still to sign', () => {
    expect(
      signatureRows({ protocolFull: protocol, signatures: [{ userId: 'member-1', name: 'Member', role: 'commission_member', at: 9 }] }),
    ).toEqual([
      { userId: 'chair-1', name: 'Chair', chair: true, signedAt: null },
      { userId: 'member-1', name: 'Member', chair: false, signedAt: 9 },
    ]);
    expect(signatureRows({ protocolFull: null, signatures: [] })).toEqual([]);
  });
  it('every refusal reason of the centre has words in kk, ru and en; a 409 conflict reloads', () => {
    for (const reason of PROCEDURE_REASONS) {
      const key = refusalKey({ code: 'conflict', reason }) as keyof typeof en;
      for (const c of [en, kk, ru]) expect(c[key], `${key}`).toMatch(/\S/);
    }
    expect(refusalKey({ code: 'forbidden' })).toBe('cm.error.forbidden');
    expect(isStale({ status: 409, code: 'conflict' })).toBe(true);
    expect(isStale({ status: 400, code: 'invalid' })).toBe(false);
  });
});
