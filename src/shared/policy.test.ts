/**
 * Rule 13 (a recorded violation of rule 12 warns; a repeat ends the exam automatically) and
 * rule 11 (technical faults are not violations; a long one moves the exam to another day),
 * as the pure policy both the browser and the centre run.
 */
import { describe, expect, it } from 'vitest';
import {
  applyPolicy,
  dismissIncident,
  excuseIncident,
  INITIAL_POLICY,
  isWatched,
  proctorWarning,
  reinstatePolicy,
  settledAt,
  type PolicyDecision,
  type PolicyState,
} from './policy';
import { DEFAULT_PROCTORING, resolveProctoring, type ProctoringConfig } from './proctoring-config';
import { INCIDENT_TYPES, INCIDENTS, type Incident, type IncidentType } from './incidents';

const T0 = 1_760_000_000_000;
const s = (sec: number) => T0 + sec * 1000;

/** An incident of `type` whose condition began at `startSec` (end in seconds, or null while going on). */
function inc(id: string, type: IncidentType, startSec: number, endSec: number | null = null): Incident {
  return { id, type, start: s(startSec), end: endSec === null ? null : s(endSec), confidence: 0.9, detail: {} };
}

/** A report judged at a given moment: a periodic re-check of an incident still going on, or a late first report. */
interface Check {
  check: Incident;
  nowSec: number;
}
type Report = Incident | Check;
const at = (incident: Incident, nowSec: number): Check => ({ check: incident, nowSec });

/**
 * Judges the reports in order, each at `now` (default: when it settled, or its end once closed; a Check at its own
 * moment), and returns every decision and the final state.
 */
function judge(reports: Report[], config: ProctoringConfig = DEFAULT_PROCTORING, now?: (i: Incident) => number) {
  let state: PolicyState = INITIAL_POLICY;
  const decisions: PolicyDecision[] = [];
  for (const report of reports) {
    const incident = 'check' in report ? report.check : report;
    const when = 'check' in report ? s(report.nowSec) : now ? now(incident) : (incident.end ?? settledAt(incident, config));
    const result = applyPolicy(state, incident, config, when);
    state = result.state;
    decisions.push(result.decision);
  }
  return { state, decisions, kinds: decisions.map((d) => (d.kind === 'none' ? `none:${d.reason}` : d.kind)) };
}

describe('rule 13: first violation warns, a repeat after the grace period terminates', () => {
  // Defaults: object.phone settles 2 s after it starts, warningGraceSec 15.
  const phone = inc('p1', 'object.phone', 10); // settles at 12 → grace until 27
  const cases: Array<{ name: string; reports: Report[]; kinds: string[] }> = [
    { name: 'one violation: a warning', reports: [phone], kinds: ['warn'] },
    {
      name: 'a second violation after the grace period: termination',
      reports: [phone, inc('m1', 'face.multiple', 40)],
      kinds: ['warn', 'terminate'],
    },
    {
      name: 'a second violation that began within the grace period: logged as grace',
      reports: [phone, inc('m1', 'face.multiple', 20)],
      kinds: ['warn', 'none:grace'],
    },
    // env.second_screen settles at once, so it is judged (open) before the grace ends; it stays watched.
    {
      name: 'starting 1 ms before the grace ends, judged at once: still grace',
      reports: [phone, inc('s1', 'env.second_screen', 26.999)],
      kinds: ['warn', 'none:grace'],
    },
    {
      name: 'starting exactly when the grace ends: termination',
      reports: [phone, inc('m1', 'face.multiple', 27)],
      kinds: ['warn', 'terminate'],
    },
    {
      name: 'grace, then a third violation after it: termination',
      reports: [phone, inc('a', 'head.away', 14), inc('b', 'env.tab_hidden', 60)],
      kinds: ['warn', 'none:grace', 'terminate'],
    },
    { name: 'the same kind again is a repeat too', reports: [phone, inc('p2', 'object.phone', 100)], kinds: ['warn', 'terminate'] },
    {
      name: 'the open report and then the close report of one incident count once',
      reports: [phone, inc('p1', 'object.phone', 10, 20)],
      kinds: ['warn', 'none:already_judged'],
    },
    {
      name: 'a resend of the warned incident (closed within the grace) after the grace period does not terminate',
      reports: [phone, inc('p1', 'object.phone', 10, 20), inc('n', 'audio.noise', 50), inc('p1', 'object.phone', 10, 20)],
      kinds: ['warn', 'none:already_judged', 'none:not_violation', 'none:already_judged'],
    },
    {
      name: 'non-violations (body.motion, audio.noise, env.clipboard, object.remote by default) never warn',
      reports: [
        inc('a', 'body.motion', 1),
        inc('b', 'audio.noise', 5),
        inc('c', 'env.clipboard', 6),
        inc('d', 'object.remote', 7),
        inc('e', 'audio.muted', 8),
      ],
      kinds: ['none:not_violation', 'none:not_violation', 'none:not_violation', 'none:not_violation', 'none:not_violation'],
    },
    {
      name: 'technical incidents never warn, whatever else happened',
      reports: [inc('t1', 'tech.offline', 1, 30), inc('t2', 'tech.low_fps', 40, 100), inc('t3', 'tech.camera_lost', 120, 125), phone],
      kinds: ['none:ongoing', 'none:ongoing', 'none:ongoing', 'warn'],
    },
  ];
  it.each(cases)('$name → $kinds', ({ reports, kinds }) => {
    expect(judge(reports).kinds).toEqual(kinds);
  });

  it('the warning names rule 13 and the incident; the state remembers when it settled and watches it while it goes on', () => {
    const { decisions, state } = judge([inc('p1', 'object.phone', 10)]);
    expect(decisions[0]).toEqual({ kind: 'warn', incident: inc('p1', 'object.phone', 10), rule: '13' });
    expect(state).toEqual({
      outcome: 'active',
      warning: { incidentId: 'p1', type: 'object.phone', at: s(12) },
      judged: ['p1'],
      pending: ['p1'],
      dismissed: [],
    });
    // Reported already closed (within the grace): the same warning, nothing left to watch.
    expect(judge([inc('p1', 'object.phone', 10, 20)]).state).toEqual({
      outcome: 'active',
      warning: { incidentId: 'p1', type: 'object.phone', at: s(12) },
      judged: ['p1'],
      pending: [],
      dismissed: [],
    });
  });

  it('the termination names rule 13, the repeat and the warned incident', () => {
    const { decisions, state } = judge([inc('p1', 'object.phone', 10), inc('m1', 'face.multiple', 40)]);
    expect(decisions[1]).toEqual({ kind: 'terminate', incident: inc('m1', 'face.multiple', 40), warningIncidentId: 'p1', rule: '13' });
    expect(state.outcome).toBe('terminated');
  });

  it('the grace period counts from when the warned incident settled (start + its window), not from its start', () => {
    // env.fullscreen_exit settles 10 s after it begins: grace runs until 10 + 10 + 15 = 35 s (from its start: 25 s).
    const warned = inc('f', 'env.fullscreen_exit', 10, 22);
    expect(judge([warned, inc('t', 'env.tab_hidden', 30, 34)]).kinds).toEqual(['warn', 'none:grace']);
    expect(judge([warned, inc('t', 'env.tab_hidden', 30, 35)]).kinds).toEqual(['warn', 'terminate']);
    expect(judge([warned, inc('s', 'env.second_screen', 34)]).kinds).toEqual(['warn', 'none:grace']);
    expect(judge([warned, inc('s', 'env.second_screen', 35)]).kinds).toEqual(['warn', 'terminate']);
  });

  it("a programme's settings decide: a violation there, an allowed class, a longer grace", () => {
    const config = resolveProctoring({
      incidents: { 'audio.noise': { violation: true } },
      objects: { allow: ['object.phone'] },
      warningGraceSec: 60,
    });
    const reports = [inc('p', 'object.phone', 1), inc('n', 'audio.noise', 5), inc('b', 'object.book', 40), inc('m', 'face.multiple', 70)];
    expect(judge(reports, config).kinds).toEqual(['none:not_violation', 'warn', 'none:grace', 'terminate']);
  });

  it('an allow-listed object never counts, even though its incident rule says violation', () => {
    const config = resolveProctoring({ objects: { allow: ['object.book', 'object.laptop'] } });
    expect(config.incidents['object.book'].violation).toBe(true);
    expect(judge([inc('b', 'object.book', 1), inc('l', 'object.laptop', 50), inc('b2', 'object.book', 100)], config).kinds).toEqual([
      'none:not_violation',
      'none:not_violation',
      'none:not_violation',
    ]);
  });
});

describe('rule 11: a technical incident suspends the exam only when it lasts technicalFaultSec (120 s by default)', () => {
  const cases: Array<{ name: string; incident: Incident; nowSec: number; kind: string }> = [
    { name: 'going on for 119.9 s', incident: inc('t', 'tech.offline', 0), nowSec: 119.9, kind: 'none:ongoing' },
    { name: 'going on for 120 s', incident: inc('t', 'tech.offline', 0), nowSec: 120, kind: 'suspend' },
    {
      name: 'closed after 119.9 s, judged much later',
      incident: inc('t', 'tech.camera_lost', 0, 119.9),
      nowSec: 1000,
      kind: 'none:ongoing',
    },
    { name: 'closed after 120 s', incident: inc('t', 'tech.mic_lost', 0, 120), nowSec: 120, kind: 'suspend' },
    {
      name: 'going on, but `now` before its start (clock skew): not negative, not a fault',
      incident: inc('t', 'tech.low_fps', 50),
      nowSec: 10,
      kind: 'none:ongoing',
    },
    { name: 'a model failed and never came back (5 minutes)', incident: inc('t', 'tech.model_failed', 0), nowSec: 300, kind: 'suspend' },
  ];
  it.each(cases)('$name → $kind', ({ incident, nowSec, kind }) => {
    const { kinds, decisions } = judge([incident], DEFAULT_PROCTORING, () => s(nowSec));
    expect(kinds).toEqual([kind]);
    if (kind === 'suspend') expect(decisions[0]).toEqual({ kind: 'suspend', incident, rule: '11' });
  });

  it('an ongoing incident re-checked every second suspends on the first check past the limit, once', () => {
    const offline = inc('t', 'tech.offline', 0);
    let state: PolicyState = INITIAL_POLICY;
    const suspendedAt: number[] = [];
    for (let sec = 0; sec <= 200; sec++) {
      const result = applyPolicy(state, offline, DEFAULT_PROCTORING, s(sec));
      if (result.decision.kind === 'suspend') suspendedAt.push(sec);
      state = result.state;
    }
    expect(suspendedAt).toEqual([120]);
    expect(state.outcome).toBe('suspended');
  });

  it('the programme sets the limit', () => {
    const config = resolveProctoring({ technicalFaultSec: 30 });
    expect(judge([inc('t', 'tech.offline', 0, 30)], config).kinds).toEqual(['suspend']);
  });

  it('technical incidents are never violations, even if a programme marks them so', () => {
    const config = resolveProctoring({ incidents: { 'tech.offline': { violation: true } } });
    expect(judge([inc('a', 'tech.offline', 0, 5), inc('b', 'tech.offline', 100, 105)], config).kinds).toEqual([
      'none:ongoing',
      'none:ongoing',
    ]);
  });
});

describe('after termination or suspension nothing more happens', () => {
  it.each([
    { name: 'terminated', first: [inc('p', 'object.phone', 1), inc('m', 'face.multiple', 60)] },
    { name: 'suspended', first: [inc('t', 'tech.offline', 0, 200)] },
  ])('$name', ({ first }) => {
    const { state } = judge(first);
    expect(state.outcome).toBe(first.length === 2 ? 'terminated' : 'suspended');
    for (const later of [inc('x', 'object.book', 500), inc('y', 'tech.offline', 500, 900), inc('p', 'object.phone', 1)]) {
      const result = applyPolicy(state, later, DEFAULT_PROCTORING, s(1000));
      expect(result.decision).toEqual({ kind: 'none', reason: 'finished' });
      expect(result.state).toBe(state);
    }
  });
});

describe('determinism: browser and centre reach the same decisions', () => {
  // Every report whose judging could depend on `now` is closed: the first violation warns whenever it is judged,
  // and one that begins after the grace is a repeat whenever it is judged.
  const reports = [
    inc('n', 'audio.noise', 2),
    inc('p', 'object.phone', 10),
    inc('h', 'head.away', 15, 20),
    inc('p', 'object.phone', 10, 20),
    inc('f', 'face.multiple', 45),
    inc('x', 'env.tab_hidden', 90),
  ];

  it("violations are judged on the incidents' own times, whatever `now` the judge uses", () => {
    const expected = judge(reports);
    expect(expected.kinds).toEqual(['none:not_violation', 'warn', 'none:grace', 'none:already_judged', 'terminate', 'none:finished']);
    for (const now of [() => 0, () => s(1_000_000), (i: Incident) => i.start - 60_000])
      expect(judge(reports, DEFAULT_PROCTORING, now)).toEqual(expected);
  });

  it('a watched incident still open is judged on `now` too: a judge that comes later decides sooner, on the same outcome', () => {
    const phone = inc('p', 'object.phone', 10); // grace until 27
    const away = inc('h', 'head.away', 15);
    // The browser judges it as it settles (grace), then re-checks it each second until the grace ends.
    const browser = judge([phone, away, at(away, 26), at(away, 27)]);
    expect(browser.kinds).toEqual(['warn', 'none:grace', 'none:already_judged', 'terminate']);
    // A centre that gets the open report only after the grace ended decides at once.
    const centre = judge([phone, at(away, 40)]);
    expect(centre.kinds).toEqual(['warn', 'terminate']);
    expect(centre.decisions[1]).toEqual(browser.decisions[3]);
    expect(centre.state).toEqual(browser.state);
  });
});

describe('rule 13 after the warning: what still goes on when the grace ends is the repeat', () => {
  // Defaults: object.phone settles 2 s after it starts (warning at 12 s), warningGraceSec 15: the grace ends at 27 s.
  const phone = inc('p1', 'object.phone', 10);
  const multi = inc('m1', 'face.multiple', 20); // begins within the grace, settles at 22 s
  const cases: Array<{ name: string; reports: Report[]; kinds: string[]; pending: string[] }> = [
    // The warned incident itself.
    {
      name: 'the warned incident still open 1 ms before the grace ends: watched, not yet a repeat',
      reports: [phone, at(phone, 26.999)],
      kinds: ['warn', 'none:already_judged'],
      pending: ['p1'],
    },
    {
      name: 'the warned incident still open when the grace ends: termination',
      reports: [phone, at(phone, 27)],
      kinds: ['warn', 'terminate'],
      pending: [],
    },
    {
      name: 'the warned incident still open past the grace: termination',
      reports: [phone, at(phone, 30)],
      kinds: ['warn', 'terminate'],
      pending: [],
    },
    {
      name: 'the warned incident closed 1 ms before the grace ends: dropped',
      reports: [phone, inc('p1', 'object.phone', 10, 26.999)],
      kinds: ['warn', 'none:already_judged'],
      pending: [],
    },
    {
      name: 'the warned incident closed when the grace ends: termination',
      reports: [phone, inc('p1', 'object.phone', 10, 27)],
      kinds: ['warn', 'terminate'],
      pending: [],
    },
    {
      name: 'the warned incident closed after the grace: termination',
      reports: [phone, inc('p1', 'object.phone', 10, 200)],
      kinds: ['warn', 'terminate'],
      pending: [],
    },
    {
      name: 'the warned incident closed within the grace: a later check or resend does nothing',
      reports: [phone, inc('p1', 'object.phone', 10, 20), at(inc('p1', 'object.phone', 10, 20), 100), at(phone, 100)],
      kinds: ['warn', 'none:already_judged', 'none:already_judged', 'none:already_judged'],
      pending: [],
    },
    // A violation that begins within the grace.
    {
      name: 'a grace-time violation reported open: grace, watched',
      reports: [phone, multi],
      kinds: ['warn', 'none:grace'],
      pending: ['p1', 'm1'],
    },
    {
      name: 'a grace-time violation that closes before the grace ends: not counted, no longer watched',
      reports: [phone, multi, inc('m1', 'face.multiple', 20, 26.999)],
      kinds: ['warn', 'none:grace', 'none:already_judged'],
      pending: ['p1'],
    },
    {
      name: 'a grace-time violation first reported already closed within the grace: grace, never watched',
      reports: [phone, inc('m1', 'face.multiple', 20, 25)],
      kinds: ['warn', 'none:grace'],
      pending: ['p1'],
    },
    {
      name: 'a grace-time violation that closes when the grace ends: termination',
      reports: [phone, multi, inc('m1', 'face.multiple', 20, 27)],
      kinds: ['warn', 'none:grace', 'terminate'],
      pending: [],
    },
    {
      name: 'a grace-time violation that closes after the grace: termination',
      reports: [phone, multi, inc('m1', 'face.multiple', 20, 40)],
      kinds: ['warn', 'none:grace', 'terminate'],
      pending: [],
    },
    {
      name: 'a grace-time violation first reported already closed after the grace: termination',
      reports: [phone, inc('m1', 'face.multiple', 20, 40)],
      kinds: ['warn', 'terminate'],
      pending: [],
    },
    {
      name: 'a grace-time violation still open, re-checked 1 ms before the grace ends: still watched',
      reports: [phone, multi, at(multi, 26.999)],
      kinds: ['warn', 'none:grace', 'none:already_judged'],
      pending: ['p1', 'm1'],
    },
    {
      name: 'a grace-time violation still open, re-checked when the grace ends: termination',
      reports: [phone, multi, at(multi, 27)],
      kinds: ['warn', 'none:grace', 'terminate'],
      pending: [],
    },
    {
      name: 'a grace-time violation still open, re-checked long after: termination',
      reports: [phone, multi, at(multi, 600)],
      kinds: ['warn', 'none:grace', 'terminate'],
      pending: [],
    },
    {
      name: 'a grace-time violation first judged (open) after the grace ended: termination',
      reports: [phone, at(multi, 30)],
      kinds: ['warn', 'terminate'],
      pending: [],
    },
    // Causes removed in time: the grace did its job, and a later violation is still a repeat.
    {
      name: 'both closed within the grace, then a violation after it: termination',
      reports: [
        phone,
        multi,
        inc('p1', 'object.phone', 10, 20),
        inc('m1', 'face.multiple', 20, 25),
        at(phone, 100),
        at(multi, 100),
        inc('h', 'head.away', 40),
      ],
      kinds: [
        'warn',
        'none:grace',
        'none:already_judged',
        'none:already_judged',
        'none:already_judged',
        'none:already_judged',
        'terminate',
      ],
      pending: [],
    },
    {
      name: 'non-violations during the grace are never watched',
      reports: [phone, inc('n', 'audio.noise', 20), at(inc('n', 'audio.noise', 20), 100)],
      kinds: ['warn', 'none:not_violation', 'none:already_judged'],
      pending: ['p1'],
    },
  ];
  it.each(cases)('$name → $kinds', ({ reports, kinds, pending }) => {
    const { kinds: actual, state } = judge(reports);
    expect(actual).toEqual(kinds);
    expect(state.pending).toEqual(pending);
    expect(state.outcome).toBe(kinds.at(-1) === 'terminate' ? 'terminated' : 'active');
  });

  it('the termination names the incident that outlasted the grace and the warned incident', () => {
    const own = judge([phone, at(phone, 27)]);
    expect(own.decisions[1]).toEqual({ kind: 'terminate', incident: phone, warningIncidentId: 'p1', rule: '13' });
    expect(own.state).toEqual({
      outcome: 'terminated',
      warning: { incidentId: 'p1', type: 'object.phone', at: s(12) },
      judged: ['p1'],
      pending: [],
      dismissed: [],
    });
    const other = judge([phone, multi, inc('m1', 'face.multiple', 20, 40)]);
    expect(other.decisions[2]).toEqual({
      kind: 'terminate',
      incident: inc('m1', 'face.multiple', 20, 40),
      warningIncidentId: 'p1',
      rule: '13',
    });
    expect(other.state).toEqual({
      outcome: 'terminated',
      warning: { incidentId: 'p1', type: 'object.phone', at: s(12) },
      judged: ['p1', 'm1'],
      pending: [],
      dismissed: [],
    });
  });

  it('the warned incident re-checked every second while it goes on terminates on the first check at the grace end, once', () => {
    let state = applyPolicy(INITIAL_POLICY, phone, DEFAULT_PROCTORING, s(12)).state;
    const terminatedAt: number[] = [];
    for (let sec = 12; sec <= 60; sec++) {
      const result = applyPolicy(state, phone, DEFAULT_PROCTORING, s(sec));
      if (result.decision.kind === 'terminate') terminatedAt.push(sec);
      state = result.state;
    }
    expect(terminatedAt).toEqual([27]);
  });

  it("the grace is the programme's: with warningGraceSec 60 the phone may stay in hand until 72 s", () => {
    const config = resolveProctoring({ warningGraceSec: 60 });
    expect(judge([phone, at(phone, 71.999)], config).kinds).toEqual(['warn', 'none:already_judged']);
    expect(judge([phone, at(phone, 72)], config).kinds).toEqual(['warn', 'terminate']);
  });

  it('observe mode watches nothing and decides nothing, however long a violation goes on', () => {
    const config = resolveProctoring({ observe: true });
    const { kinds, state } = judge([phone, at(phone, 600), inc('p1', 'object.phone', 10, 900)], config);
    expect(kinds).toEqual(['none:observe', 'none:observe', 'none:observe']);
    expect(state).toBe(INITIAL_POLICY);
  });
});

describe('isWatched: what the browser and the centre keep re-judging while it goes on', () => {
  const phone = inc('p1', 'object.phone', 10);
  const multi = inc('m1', 'face.multiple', 20);
  const afterWarning = judge([phone]).state;
  const cases: Array<{ name: string; state: PolicyState; incident: Incident; watched: boolean }> = [
    {
      name: 'a technical incident, before anything was judged',
      state: INITIAL_POLICY,
      incident: inc('t', 'tech.offline', 0),
      watched: true,
    },
    { name: 'a technical incident, after a warning', state: afterWarning, incident: inc('t', 'tech.camera_lost', 30), watched: true },
    { name: 'the warned incident while it goes on', state: afterWarning, incident: phone, watched: true },
    { name: 'a grace-time violation while it goes on', state: judge([phone, multi]).state, incident: multi, watched: true },
    { name: 'a violation not judged yet', state: INITIAL_POLICY, incident: phone, watched: false },
    { name: 'a violation begun after the warning but not judged yet', state: afterWarning, incident: multi, watched: false },
    {
      name: 'the warned incident once closed within the grace',
      state: judge([phone, inc('p1', 'object.phone', 10, 20)]).state,
      incident: phone,
      watched: false,
    },
    {
      name: 'the warned incident reported already closed',
      state: judge([inc('p1', 'object.phone', 10, 20)]).state,
      incident: phone,
      watched: false,
    },
    {
      name: 'a grace-time violation once closed within the grace',
      state: judge([phone, multi, inc('m1', 'face.multiple', 20, 25)]).state,
      incident: multi,
      watched: false,
    },
    {
      name: 'a grace-time violation reported already closed',
      state: judge([phone, inc('m1', 'face.multiple', 20, 25)]).state,
      incident: multi,
      watched: false,
    },
    {
      name: 'a non-violation',
      state: judge([phone, inc('n', 'audio.noise', 20)]).state,
      incident: inc('n', 'audio.noise', 20),
      watched: false,
    },
    { name: 'the warned incident after termination', state: judge([phone, at(phone, 27)]).state, incident: phone, watched: false },
  ];
  it.each(cases)('$name → $watched', ({ state, incident, watched }) => {
    expect(isWatched(state, incident)).toBe(watched);
  });
});

describe('the policy state', () => {
  it('INITIAL_POLICY: active, no warning, nothing judged, nothing pending', () => {
    expect(INITIAL_POLICY).toEqual({ outcome: 'active', warning: null, judged: [], pending: [], dismissed: [] });
  });

  /** Freezes a value and everything in it, so a mutation throws (test modules run in strict mode). */
  function deepFreeze<T>(value: T): T {
    if (value && typeof value === 'object') {
      for (const inner of Object.values(value)) deepFreeze(inner);
      Object.freeze(value);
    }
    return value;
  }

  const phone = inc('p1', 'object.phone', 10);
  const multi = inc('m1', 'face.multiple', 20);
  it.each([
    // warn (open), grace (open, added to pending), re-check still pending, pending dropped on close, repeat after the grace, finished
    {
      name: 'warning, grace, dropped, repeat',
      reports: [
        phone,
        multi,
        at(multi, 25),
        inc('m1', 'face.multiple', 20, 25),
        inc('p1', 'object.phone', 10, 20),
        at(phone, 30),
        inc('h', 'head.away', 40),
        inc('x', 'env.tab_hidden', 50),
      ],
    },
    // a pending incident outlasting the grace terminates (pending cleared in the new state only)
    { name: 'pending past the grace', reports: [phone, multi, inc('n', 'audio.noise', 21), at(multi, 27)] },
    { name: 'grace-time violation closed past the grace', reports: [phone, inc('m1', 'face.multiple', 20, 40)] },
    // rule 11 and observe paths
    {
      name: 'technical fault',
      reports: [inc('t', 'tech.offline', 0), at(inc('t', 'tech.offline', 0), 60), at(inc('t', 'tech.offline', 0), 120), phone],
    },
  ])('applyPolicy never mutates the state it is given: $name', ({ reports }) => {
    const before = JSON.stringify(INITIAL_POLICY);
    for (const config of [DEFAULT_PROCTORING, resolveProctoring({ observe: true })]) {
      let state: PolicyState = INITIAL_POLICY;
      for (const report of reports) {
        const incident = 'check' in report ? report.check : report;
        const given = deepFreeze(structuredClone(state));
        const snapshot = JSON.stringify(given);
        const result = applyPolicy(
          given,
          deepFreeze(structuredClone(incident)),
          config,
          'check' in report ? s(report.nowSec) : (incident.end ?? settledAt(incident, config)),
        );
        expect(JSON.stringify(given)).toBe(snapshot);
        state = result.state;
      }
    }
    expect(JSON.stringify(INITIAL_POLICY)).toBe(before);
  });
});

describe('observe mode (evaluation, pilots): everything is logged, nothing is decided', () => {
  it('no warning, termination or suspension', () => {
    const config = resolveProctoring({ observe: true });
    const reports = [inc('p', 'object.phone', 1), inc('m', 'face.multiple', 60), inc('t', 'tech.offline', 100, 400)];
    expect(judge(reports, config).kinds).toEqual(['none:observe', 'none:observe', 'none:observe']);
  });
});

describe('settledAt', () => {
  it.each(INCIDENT_TYPES.filter((t) => !INCIDENTS[t].technical))('%s settles its afterSec after it began', (type) => {
    expect(settledAt(inc('i', type, 10), DEFAULT_PROCTORING)).toBe(s(10 + DEFAULT_PROCTORING.incidents[type].afterSec));
  });
});

describe('people decide on what the machine flagged', () => {
  const config = resolveProctoring({});
  const at = 1_000_000;
  const violation = (id: string, start: number, end: number | null = start + 5_000): Incident => ({
    id,
    type: 'face.multiple',
    start,
    end,
    confidence: 0.9,
    detail: {},
  });

  it('a dismissed incident never counts, and a warning it earned is withdrawn: the next violation warns, not ends', () => {
    const warned = applyPolicy(INITIAL_POLICY, violation('a', at), config, at + 10_000).state;
    expect(warned.warning?.incidentId).toBe('a');
    const { state, warningWithdrawn } = dismissIncident(warned, 'a');
    expect(warningWithdrawn).toBe(true);
    expect(state.warning).toBeNull();
    expect(state.dismissed).toEqual(['a']);
    // Reported again (its close, a resend): still nothing.
    expect(applyPolicy(state, violation('a', at), config, at + 20_000).decision).toMatchObject({ kind: 'none' });
    expect(applyPolicy(state, violation('b', at + 60_000), config, at + 70_000).decision.kind).toBe('warn');
  });

  it('dismissing an incident that did not earn the warning leaves the warning standing', () => {
    const warned = applyPolicy(INITIAL_POLICY, violation('a', at), config, at).state;
    const { state, warningWithdrawn } = dismissIncident(warned, 'x');
    expect(warningWithdrawn).toBe(false);
    expect(state.warning?.incidentId).toBe('a');
    expect(applyPolicy(state, violation('x', at + 60_000), config, at + 70_000).decision.kind).toBe('none');
    expect(applyPolicy(state, violation('c', at + 60_000), config, at + 70_000).decision.kind).toBe('terminate');
  });

  it("a proctor's warning takes the one warning; a second is refused, and so is one after the end", () => {
    const manual = proctorWarning(INITIAL_POLICY, 'proctor-1', 'audio.speech', at);
    expect(manual?.warning).toEqual({ incidentId: 'proctor-1', type: 'audio.speech', at });
    expect(proctorWarning(manual!, 'proctor-2', 'audio.speech', at)).toBeNull();
    expect(applyPolicy(manual!, violation('d', at + 60_000), config, at + 70_000).decision.kind).toBe('terminate');
    expect(proctorWarning({ ...INITIAL_POLICY, outcome: 'terminated' }, 'p', 'audio.speech', at)).toBeNull();
  });

  it('reinstating keeps warnings and dismissals and makes the policy active again', () => {
    const ended = {
      ...INITIAL_POLICY,
      outcome: 'terminated' as const,
      warning: { incidentId: 'a', type: 'face.multiple' as const, at },
      dismissed: ['b'],
    };
    expect(reinstatePolicy(ended)).toMatchObject({ outcome: 'active', warning: { incidentId: 'a' }, dismissed: ['b'], pending: [] });
  });
});

describe('an incident excused by a break', () => {
  it('is never judged, however it is reported later; the next one is judged as usual', () => {
    const away = inc('a1', 'face.absent', 10);
    const excused = excuseIncident(INITIAL_POLICY, 'a1');
    expect(excuseIncident(excused, 'a1')).toBe(excused);
    const closed = applyPolicy(excused, { ...away, end: s(400) }, DEFAULT_PROCTORING, s(400));
    expect(closed.decision).toEqual({ kind: 'none', reason: 'already_judged' });
    expect(applyPolicy(closed.state, inc('a2', 'face.absent', 500), DEFAULT_PROCTORING, s(510)).decision.kind).toBe('warn');
  });
});
