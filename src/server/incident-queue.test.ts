/** The queue and the card's figures as pure functions of the log. */
import { describe, expect, it } from 'vitest';
import { resolveProctoring } from '../shared/proctoring-config';
import { flaggedIncident, queueItems, sessionStage, statusColour } from './incident-queue';
import type { EventRow } from './store/store';

const row = (sessionId: string, index: number, type: EventRow['type'], data: unknown, serverAt: number): EventRow => ({
  sessionId,
  index,
  type,
  data,
  serverAt,
  clientAt: serverAt - 50,
  origin: 'client',
  seq: index,
  eventId: `e${index}`,
  prevHash: '',
  hash: '',
});
const inc = (id: string, type: string, end: number | null = null) => ({
  incident: { id, type, start: 1_000, end, confidence: 0.8234, detail: {} },
  evidenceSha256: 'a'.repeat(64),
});

describe('incident queue', () => {
  const config = resolveProctoring({ incidents: { 'audio.noise': { violation: false } } });
  const ctx = { candidateName: 'A', programmeCode: 'ELEC-4', config, accommodations: null };

  it('makes one item per incident (newest first), ends it from its close report, and ignores routine events', () => {
    const events = [
      row('s1', 1, 'incident.open', inc('i-1', 'face.multiple'), 100),
      row('s1', 2, 'answer.saved', { questionId: 'q' }, 110),
      row('s1', 3, 'incident.open', inc('i-1', 'face.multiple'), 120), // resend
      row('s1', 4, 'incident.open', inc('i-2', 'audio.noise'), 130),
      row('s1', 5, 'incident.close', inc('i-1', 'face.multiple', 4_000), 140),
      row('s2', 1, 'room_scan.object', { id: 'r-1', incident: 'object.phone', score: 0.61, at: 2_000 }, 150),
      row('s3', 1, 'incident.open', inc('i-9', 'face.absent'), 160), // unknown session: left out
    ];
    const items = queueItems(
      events,
      (id) => (id === 's3' ? undefined : ctx),
      (_s, i) => (i === 'i-2' ? { decision: 'dismissed', comment: null, by: { userId: 'u', name: 'P', role: 'proctor' }, at: 1 } : null),
    );
    expect(items.map((i) => i.incidentId)).toEqual(['r-1', 'i-2', 'i-1']);
    expect(items.find((i) => i.incidentId === 'i-1')).toMatchObject({
      end: 4_000,
      rule: '13',
      violation: true,
      confidence: 0.823,
      evidence: true,
      roomScan: false,
    });
    expect(items.find((i) => i.incidentId === 'i-2')).toMatchObject({ violation: false, rule: '2.8.1', review: { decision: 'dismissed' } });
    expect(items.find((i) => i.incidentId === 'r-1')).toMatchObject({ roomScan: true, type: 'object.phone', rule: '13', evidence: false });
  });

  it('a malformed report is not an incident', () => {
    expect(flaggedIncident(row('s', 1, 'incident.open', { incident: { id: 3, type: 'face.multiple' } }, 1))).toBeNull();
    expect(flaggedIncident(row('s', 1, 'incident.open', { incident: { id: 'x', type: 'no.such' } }, 1))).toBeNull();
    expect(flaggedIncident(row('s', 1, 'room_scan.object', null, 1))).toBeNull();
  });
});

describe("the card's stage and colour", () => {
  it.each([
    [{ status: 'issued', language: null, paused: null }, null, 'waiting'],
    [{ status: 'issued', language: 'kk', paused: null }, 'identity', 'identity'],
    [{ status: 'issued', language: 'kk', paused: null }, null, 'briefing'],
    [{ status: 'in_progress', language: 'kk', paused: null }, null, 'exam'],
    [{ status: 'in_progress', language: 'kk', paused: { at: 1 } }, null, 'paused'],
    [{ status: 'submitted', language: 'kk', paused: null }, null, 'submitted'],
    [{ status: 'terminated', language: 'kk', paused: null }, null, 'ended'],
    [{ status: 'suspended', language: 'kk', paused: null }, null, 'fault'],
  ] as const)('%j with missing step %s → %s', (s, missing, stage) => {
    expect(sessionStage(s, missing)).toBe(stage);
  });

  const base = {
    status: 'in_progress' as const,
    connected: true,
    warned: false,
    openViolations: 0,
    identityLocked: false,
    paused: false,
    storageFull: false,
  };
  it.each([
    [base, 'ok'],
    [{ ...base, openViolations: 1 }, 'attention'],
    [{ ...base, paused: true }, 'attention'],
    [{ ...base, warned: true, openViolations: 2 }, 'warned'],
    [{ ...base, connected: false, warned: true }, 'fault'],
    [{ ...base, storageFull: true }, 'fault'],
    [{ ...base, status: 'suspended' as const }, 'fault'],
    [{ ...base, status: 'terminated' as const }, 'ended'],
    [{ ...base, status: 'issued' as const, connected: false, identityLocked: true }, 'attention'],
    [{ ...base, status: 'submitted' as const, connected: false }, 'ok'],
  ])('%j → %s', (s, colour) => {
    expect(statusColour(s)).toBe(colour);
  });
});
