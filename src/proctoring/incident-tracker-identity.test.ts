/**
 * face.mismatch (rule 2.8.6) in the tracker: re-verification results every identityCheckSec
 * (the centre's identity:check answers) settle into an incident like any other condition.
 */
import { describe, expect, it } from 'vitest';
import { resolveProctoring } from '../shared/proctoring-config';
import { sequentialIds } from '../testing/proctoring-signals';
import { IncidentTracker } from './incident-tracker';

const MATCH = { matched: true, similarity: 0.84, threshold: 0.6 };
const MISMATCH = { matched: false, similarity: 0.43, threshold: 0.6 };

describe('face.mismatch from identity checks', () => {
  it('opens once a mismatch has held for afterSec (5 s by default), with its evidence, and closes after a match', () => {
    const t = new IncidentTracker<string>(resolveProctoring({}), sequentialIds());
    expect(t.identity(0, MATCH)).toEqual([]);
    expect(t.identity(60_000, MISMATCH, 'frame.jpg')).toEqual([]);
    expect(t.tick(64_000)).toEqual([]);
    const opened = t.tick(65_500);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      kind: 'open',
      incident: { type: 'face.mismatch', start: 60_000, detail: { similarity: 0.43, threshold: 0.6 } },
      evidence: 'frame.jpg',
    });
    expect(t.open().map((i) => i.type)).toEqual(['face.mismatch']);
    // Still open between checks (a state, not a per-frame reading that goes stale).
    expect(t.tick(100_000)).toEqual([]);
    t.identity(120_000, MATCH);
    const closed = t.tick(123_000);
    expect(closed).toMatchObject([{ kind: 'close', incident: { type: 'face.mismatch', end: 120_000 } }]);
  });

  it('is not watched when the programme does not check identity', () => {
    const t = new IncidentTracker<string>(resolveProctoring({ steps: { identity: false } }), sequentialIds());
    expect(t.identity(0, MISMATCH)).toEqual([]);
    expect(t.tick(60_000)).toEqual([]);
    expect(t.open()).toEqual([]);
  });
});
