import { describe, expect, it } from 'vitest';
import type { Incident } from '../shared/incidents';
import {
  boundedSkew,
  EVIDENCE_ALLOWANCE_BYTES,
  incidentTimesError,
  isServerEvidenceId,
  MAX_CLOCK_SKEW_MS,
  observedTechnical,
  recordingShareBytes,
  seqError,
  sessionQuotaBytes,
} from './write-bounds';

const inc = (start: number, end: number | null): Incident => ({
  id: 'abcdefgh',
  type: 'tech.camera_lost',
  start,
  end,
  confidence: 1,
  detail: {},
});
const span = { from: 1_000_000, now: 2_000_000 };

describe('incidentTimesError (rule 13)', () => {
  it('accepts times inside the session give or take the clock skew', () => {
    expect(incidentTimesError(inc(span.from - MAX_CLOCK_SKEW_MS, span.now + MAX_CLOCK_SKEW_MS), span.now, span)).toBeNull();
  });
  it('refuses a start before the exam, an end or report time in the future, 9e15 included', () => {
    expect(incidentTimesError(inc(span.from - MAX_CLOCK_SKEW_MS - 1, null), span.now, span)).toMatch(/incident\.start is before/);
    expect(incidentTimesError(inc(span.from, span.now + MAX_CLOCK_SKEW_MS + 1), span.now, span)).toMatch(/incident\.end is in the future/);
    expect(incidentTimesError(inc(9e15, 9e15), span.now, span)).toMatch(/future/);
    expect(incidentTimesError(inc(span.now, span.now), 9e15, span)).toMatch(/^at is in the future/);
  });
});

describe('observedTechnical (rule 11 on the centre clock)', () => {
  it('a close never seen open lasts only the persistence window, whatever it claims', () => {
    const o = observedTechnical(inc(0, 120_000), { at: 120_000, receivedAt: 500, firstSeenAt: null, windowMs: 2_000 });
    expect(o.end! - o.start).toBe(2_000);
  });
  it('an open seen at T1 and closed at T2 lasts T2 − T1 plus the window', () => {
    const open = observedTechnical(inc(10_000, null), { at: 12_000, receivedAt: 100_000, firstSeenAt: null, windowMs: 2_000 });
    expect(open).toMatchObject({ start: 98_000, end: null });
    const close = observedTechnical(inc(10_000, 5_000_000), {
      at: 5_000_000,
      receivedAt: 160_000,
      firstSeenAt: open.start,
      windowMs: 2_000,
    });
    expect(close).toMatchObject({ start: 98_000, end: 160_000 });
  });
  it('credits no more than the browser says (a report at its start gets none)', () => {
    expect(observedTechnical(inc(10_000, null), { at: 10_000, receivedAt: 50_000, firstSeenAt: null, windowMs: 2_000 }).start).toBe(50_000);
  });
});

describe('boundedSkew, seqError, server evidence ids, quota', () => {
  it('bounds the skew', () => {
    expect(boundedSkew(9e15, 0)).toBe(MAX_CLOCK_SKEW_MS);
    expect(boundedSkew(-9e15, 0)).toBe(-MAX_CLOCK_SKEW_MS);
    expect(boundedSkew(1_500, 1_000)).toBe(500);
  });
  it('takes resends and small gaps, refuses jumps', () => {
    expect(seqError(3, 10)).toBeNull();
    expect(seqError(10 + 1_000, 10)).toBeNull();
    expect(seqError(10 + 1_001, 10)).toMatch(/jumps ahead/);
    expect(seqError(Number.MAX_SAFE_INTEGER, 1)).toMatch(/jumps ahead/);
  });
  it('reserves identity-* in any case', () => {
    expect(isServerEvidenceId('identity-1')).toBe(true);
    expect(isServerEvidenceId('IDENTITY-7')).toBe(true);
    expect(isServerEvidenceId('abcdefghij')).toBe(false);
  });
  it('quota: exam plus the steps before it at the bitrate, with margin, plus the evidence allowance', () => {
    // 40 min + 20 min at 300 kbps = 3600 s × 37.5 kB/s × 1.5 = 202.5 MB.
    expect(sessionQuotaBytes(40 * 60_000, 300)).toBe(202_500_000 + EVIDENCE_ALLOWANCE_BYTES);
    expect(recordingShareBytes(sessionQuotaBytes(40 * 60_000, 300))).toBe(202_500_000);
    expect(sessionQuotaBytes(120 * 60_000, 300)).toBeGreaterThan(sessionQuotaBytes(40 * 60_000, 300));
  });
});
