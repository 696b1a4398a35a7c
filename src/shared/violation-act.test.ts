/** Rule 14: the violation act's facts read from a session log. */
import { describe, expect, it } from 'vitest';
import { INCIDENT_NAMES, PROCTOR_ENDED_FOR_VIOLATION } from './incident-names';
import type { SessionVerdict } from './review-verdict';
import { actFacts, type ActLogEntry } from './violation-act';

/** The browser's clock runs 5 s ahead of the centre's. */
const SKEW = 5_000;
const T = 1_750_000_000_000; // centre clock
const proctor = { userId: 'p', name: 'Proctor One', role: 'proctor' };
const client = (serverAt: number, type: string, data: unknown): ActLogEntry => ({
  type,
  origin: 'client',
  serverAt,
  clientAt: serverAt + SKEW,
  data,
});
const server = (serverAt: number, type: string, data: unknown): ActLogEntry => ({ type, origin: 'server', serverAt, clientAt: null, data });
const opened = (at: number, id: string, type: string) =>
  client(at + 1_000, 'incident.open', { incident: { id, type, start: at + SKEW, end: null, confidence: 0.9, detail: {} } });

describe('actFacts', () => {
  it('an exam ended by rule 13: the warned and the ending incidents, not a technical one nor a dismissed one', () => {
    const log = [
      opened(T, 'phone-1', 'object.phone'),
      server(T + 1_100, 'policy.warning', { incidentId: 'phone-1', type: 'object.phone', start: T + SKEW, rule: '12' }),
      opened(T + 10_000, 'cam-1', 'tech.camera_lost'),
      server(T + 11_000, 'incident.confirmed', { incidentId: 'cam-1', type: 'tech.camera_lost', comment: 'seen', by: proctor }),
      opened(T + 20_000, 'head-1', 'head.away'),
      server(T + 21_000, 'incident.confirmed', { incidentId: 'head-1', type: 'head.away', comment: 'first look', by: proctor }),
      server(T + 22_000, 'incident.dismissed', {
        incidentId: 'head-1',
        type: 'head.away',
        comment: 'reading the question aloud to herself',
        by: proctor,
      }),
      opened(T + 60_000, 'talk-1', 'audio.speech'),
      server(T + 61_100, 'policy.terminated', {
        incidentId: 'talk-1',
        type: 'audio.speech',
        start: T + 60_000 + SKEW,
        rule: '2.8.1',
        warningIncidentId: 'phone-1',
      }),
    ];
    const facts = actFacts(log, null);
    expect(facts.violations).toEqual([
      { incidentId: 'phone-1', type: 'object.phone', rule: '12', description: INCIDENT_NAMES['object.phone'], at: T, browserAt: T + SKEW },
      {
        incidentId: 'talk-1',
        type: 'audio.speech',
        rule: '2.8.1',
        description: INCIDENT_NAMES['audio.speech'],
        at: T + 60_000,
        browserAt: T + 60_000 + SKEW,
      },
    ]);
    expect(facts.warning).toEqual({ at: T + 1_100, by: { kind: 'automatic' } });
    expect(facts.termination).toEqual({ at: T + 61_100, by: { kind: 'automatic' }, reason: null });
    expect(facts.proctorDecision).toEqual({
      decision: 'dismissed',
      fullName: 'Proctor One',
      at: T + 22_000,
      comment: 'reading the question aloud to herself',
    });
    expect(facts.reviewerDecision).toBeNull();
  });

  it('a submitted exam with the reviewer\'s "violation confirmed": the incidents it rests on, over a proctor\'s dismissal', () => {
    const verdict: SessionVerdict = {
      kind: 'violation_confirmed',
      incidentIds: ['book-1'],
      comment: 'A book on the desk at 10:02.',
      by: { userId: 'r', name: 'Reviewer', role: 'reviewer' },
      at: T + 900_000,
    };
    const log = [
      opened(T, 'book-1', 'object.book'),
      server(T + 2_000, 'incident.dismissed', { incidentId: 'book-1', type: 'object.book', comment: 'a box', by: proctor }),
      opened(T + 5_000, 'noise-1', 'audio.noise'),
    ];
    const facts = actFacts(log, verdict);
    expect(facts.violations.map((v) => v.incidentId)).toEqual(['book-1']);
    expect(facts.warning).toBeNull();
    expect(facts.termination).toBeNull();
    expect(facts.reviewerDecision).toEqual({
      decision: 'violation_confirmed',
      fullName: 'Reviewer',
      at: T + 900_000,
      comment: 'A book on the desk at 10:02.',
    });
  });

  it('a dismissed incident withdraws its warning', () => {
    const log = [
      opened(T, 'face-1', 'face.multiple'),
      server(T + 1_100, 'policy.warning', { incidentId: 'face-1', type: 'face.multiple', start: T + SKEW, rule: '2.8.2' }),
      server(T + 5_000, 'incident.dismissed', {
        incidentId: 'face-1',
        type: 'face.multiple',
        comment: 'a poster',
        by: proctor,
        warningWithdrawn: true,
      }),
    ];
    expect(actFacts(log, null)).toMatchObject({ violations: [], warning: null });
  });

  it("a proctor's warning and end: the warning timed on the centre's clock, the end as the proctor's decision", () => {
    const log = [
      client(T - 1_000, 'env.focus_lost', {}),
      server(T, 'policy.warning', {
        incidentId: 'proctor-abc',
        type: 'object.phone',
        start: T,
        rule: '13',
        manual: true,
        reason: 'phone in hand',
        by: proctor,
      }),
      server(T + 30_000, 'policy.terminated', {
        manual: true,
        rule: '13',
        reason: 'phone again',
        warningIncidentId: 'proctor-abc',
        by: proctor,
      }),
    ];
    const facts = actFacts(log, null);
    expect(facts.violations).toEqual([
      {
        incidentId: 'proctor-abc',
        type: 'object.phone',
        rule: '12',
        description: INCIDENT_NAMES['object.phone'],
        at: T,
        browserAt: T + SKEW,
      },
    ]);
    expect(facts.warning).toEqual({ at: T, by: { kind: 'staff', fullName: 'Proctor One' } });
    expect(facts.termination).toEqual({ at: T + 30_000, by: { kind: 'staff', fullName: 'Proctor One' }, reason: 'phone again' });
    expect(facts.proctorDecision).toEqual({ decision: 'ended_exam', fullName: 'Proctor One', at: T + 30_000, comment: 'phone again' });
  });

  it('a proctor who ended the exam naming no incident: the end itself is the violation (rule 13)', () => {
    const log = [
      client(T - 1_000, 'env.focus_lost', {}),
      server(T, 'policy.terminated', { manual: true, rule: '13', reason: 'someone whispering', warningIncidentId: null, by: proctor }),
    ];
    expect(actFacts(log, null).violations).toEqual([
      { incidentId: null, type: null, rule: '13', description: PROCTOR_ENDED_FOR_VIOLATION, at: T, browserAt: T + SKEW },
    ]);
  });
});
