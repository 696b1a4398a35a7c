import { describe, expect, it } from 'vitest';
import { NO_ACCOMMODATIONS, type Accommodations } from '../shared/accommodations';
import { INITIAL_POLICY } from '../shared/policy';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import type { ExamSnapshot, SessionStatus } from '../shared/protocol';
import type { DeviceStatus, ExamState } from '../stores/exam-store';
import { examPhase, type ExamPhase } from './phase';
import { reinstatedState, reinstatementNote } from './proctor-actions';
import { testSnapshot } from './test-snapshot';

type PhaseInput = Parameters<typeof examPhase>[0];
const ASSISTED: Accommodations = { ...NO_ACCOMMODATIONS, assistant: { name: 'Ахметова Дана' } };

const snapshot = testSnapshot;

const RESULT: NonNullable<ExamSnapshot['result']> = { correct: 22, total: 30, percent: 73.3, admitted: true, finishedBy: 'candidate' };

function state(
  over: Partial<Pick<ExamState, 'refusal' | 'replaced' | 'camera' | 'microphone'>> & { snapshot?: ExamSnapshot | null } = {},
): PhaseInput {
  return { refusal: null, replaced: false, snapshot: snapshot(), camera: 'on', microphone: 'on', ...over };
}

describe('examPhase', () => {
  const table: Array<[name: string, input: PhaseInput, phase: ExamPhase]> = [
    ['a refusal wins over everything', state({ refusal: 'token expired', replaced: true }), 'refused'],
    ['a replaced connection', state({ replaced: true }), 'replaced'],
    ['no snapshot yet', state({ snapshot: null }), 'connecting'],
    ['rule 9: language not chosen yet', state({ snapshot: snapshot({ language: null }) }), 'language'],
    ['language is asked before devices', state({ snapshot: snapshot({ language: null }), camera: 'idle', microphone: 'idle' }), 'language'],
    ['rule 11: camera and microphone both on, issued → briefing', state(), 'briefing'],
    ['in progress with both devices → test', state({ snapshot: snapshot({ status: 'in_progress', startedAt: 1, deadlineAt: 2 }) }), 'test'],
    ['in progress in Russian → test', state({ snapshot: snapshot({ status: 'in_progress', language: 'ru' }) }), 'test'],
    ['submitted with a result', state({ snapshot: snapshot({ status: 'submitted', result: RESULT }) }), 'result'],
    [
      'rule 13: terminated with a result',
      state({ snapshot: snapshot({ status: 'terminated', result: { ...RESULT, admitted: false, finishedBy: 'terminated' } }) }),
      'ended',
    ],
    ['submitted without a result', state({ snapshot: snapshot({ status: 'submitted' }) }), 'closed'],
    ['terminated without a result', state({ snapshot: snapshot({ status: 'terminated' }) }), 'ended'],
    ['rule 11: suspended (technical fault)', state({ snapshot: snapshot({ status: 'suspended' }) }), 'ended'],
    [
      'decided in this browser before the centre confirms',
      {
        ...state({ snapshot: snapshot({ status: 'in_progress' }) }),
        ending: {
          kind: 'terminated',
          incident: { id: 'i1', type: 'face.absent', start: 1, end: null, confidence: 1, detail: {} },
          rule: '13',
          snapshotUrl: null,
        },
      },
      'ended',
    ],
    ['expired', state({ snapshot: snapshot({ status: 'expired' }) }), 'closed'],
    [
      'a finished exam does not ask for devices',
      state({ snapshot: snapshot({ status: 'submitted', result: RESULT }), camera: 'lost' }),
      'result',
    ],
  ];
  it.each(table)('%s → %s', (_name, input, phase) => {
    expect(examPhase(input)).toBe(phase);
  });

  // Rule 11: online mode needs a working webcam and microphone for the whole exam.
  const notOn: DeviceStatus[] = ['idle', 'starting', 'lost', 'failed'];
  const devicesTable: Array<[SessionStatus, 'camera' | 'microphone', DeviceStatus]> = (['issued', 'in_progress'] as const).flatMap(
    (status) =>
      (['camera', 'microphone'] as const).flatMap((device) =>
        notOn.map((d) => [status, device, d] as [SessionStatus, 'camera' | 'microphone', DeviceStatus]),
      ),
  );
  it.each(devicesTable)('rule 11: %s with %s %s → devices', (status, device, deviceState) => {
    expect(examPhase(state({ snapshot: snapshot({ status }), [device]: deviceState }))).toBe('devices');
  });
});

const NOTHING_DONE: ExamSnapshot['prestart'] = {
  systemCheck: null,
  consent: null,
  identity: { hasReference: false, verifiedAt: null, attempts: 0, decision: null },
  roomScan: null,
  assistant: null,
};
const withSteps = (steps: Partial<ExamSnapshot['proctoring']['config']['steps']>) => ({
  config: { ...DEFAULT_PROCTORING, steps: { ...DEFAULT_PROCTORING.steps, ...steps } },
  policy: INITIAL_POLICY,
});

describe('examPhase before the first question: system check → consent → identity → room scan → briefing', () => {
  const issued = (prestart: Partial<ExamSnapshot['prestart']>, over: Partial<ExamSnapshot> = {}) =>
    snapshot({ prestart: { ...NOTHING_DONE, ...prestart }, ...over });
  const checked = { systemCheck: { ok: true, at: 1 } };
  const consented = { ...checked, consent: { version: 'v1', at: 2 } };
  const verified = { ...consented, identity: { hasReference: true, verifiedAt: 3, attempts: 1, decision: null } };
  const scanned = { ...verified, roomScan: { coverageDeg: 360, complete: true, at: 4 } };
  const off = { camera: 'idle', microphone: 'idle' } as const;
  const table: Array<[name: string, input: PhaseInput, phase: ExamPhase]> = [
    ['nothing done yet: the system check, which turns the devices on itself', state({ snapshot: issued({}), ...off }), 'system-check'],
    [
      'the system check stays until it has passed, devices on or not',
      state({ snapshot: issued({ systemCheck: { ok: false, at: 1 } }) }),
      'system-check',
    ],
    ['checked → consent', state({ snapshot: issued(checked) }), 'consent'],
    ['checked, then reloaded: the devices again before consent', state({ snapshot: issued(checked), ...off }), 'devices'],
    ['consented → identity (rule 2.8.6)', state({ snapshot: issued(consented) }), 'identity'],
    [
      'a failed identity attempt stays on identity',
      state({ snapshot: issued({ ...consented, identity: { hasReference: true, verifiedAt: null, attempts: 2, decision: null } }) }),
      'identity',
    ],
    ['verified → room scan (rule 2.8.3)', state({ snapshot: issued(verified) }), 'room-scan'],
    [
      'a partial scan stays on the room scan',
      state({ snapshot: issued({ ...verified, roomScan: { coverageDeg: 120, complete: false, at: 4 } }) }),
      'room-scan',
    ],
    ['scanned → briefing (rule 8)', state({ snapshot: issued(scanned) }), 'briefing'],
    ['scanned, then reloaded: the devices again, then the briefing', state({ snapshot: issued(scanned), camera: 'lost' }), 'devices'],
    [
      'system check switched off: devices, then consent',
      state({ snapshot: issued({}, { proctoring: withSteps({ systemCheck: false }) }), ...off }),
      'devices',
    ],
    [
      'system check switched off, devices on → consent',
      state({ snapshot: issued({}, { proctoring: withSteps({ systemCheck: false }) }) }),
      'consent',
    ],
    [
      'identity switched off: consent → room scan',
      state({ snapshot: issued(consented, { proctoring: withSteps({ identity: false }) }) }),
      'room-scan',
    ],
    // Rule 11: an assistant allowed is identified at the identity step, after the candidate.
    [
      'verified, an assistant allowed and not yet identified: still identity',
      state({ snapshot: issued(verified, { accommodations: ASSISTED }) }),
      'identity',
    ],
    [
      'an assistant refused once: still identity',
      state({ snapshot: issued({ ...verified, assistant: { acceptedAt: null, attempts: 1 } }, { accommodations: ASSISTED }) }),
      'identity',
    ],
    [
      'verified and the assistant identified → room scan',
      state({ snapshot: issued({ ...verified, assistant: { acceptedAt: 5, attempts: 1 } }, { accommodations: ASSISTED }) }),
      'room-scan',
    ],
    [
      'accommodations without an assistant: verified → room scan',
      state({ snapshot: issued(verified, { accommodations: { ...ASSISTED, assistant: null } }) }),
      'room-scan',
    ],
    [
      'an assistant allowed, identity switched off: consent → room scan',
      state({ snapshot: issued(consented, { accommodations: ASSISTED, proctoring: withSteps({ identity: false }) }) }),
      'room-scan',
    ],
    [
      'identity and room scan switched off: consent → briefing',
      state({ snapshot: issued(consented, { proctoring: withSteps({ identity: false, roomScan: false }) }) }),
      'briefing',
    ],
    [
      'consent is never skipped (Appendix 1)',
      state({ snapshot: issued(checked, { proctoring: withSteps({ systemCheck: false, identity: false, roomScan: false }) }) }),
      'consent',
    ],
    ['the language comes first of all (rule 9)', state({ snapshot: issued({}, { language: null }) }), 'language'],
    [
      'reload into a running exam: devices, then the test directly, whatever the steps say',
      state({ snapshot: issued({}, { status: 'in_progress' }), ...off }),
      'devices',
    ],
    ['running exam with devices on → test', state({ snapshot: issued({}, { status: 'in_progress' }) }), 'test'],
  ];
  it.each(table)('%s → %s', (_name, input, phase) => {
    expect(examPhase(input)).toBe(phase);
  });
});

describe('examPhase with the proctor’s actions', () => {
  const running = snapshot({ status: 'in_progress', startedAt: 1, deadlineAt: 2_400_001 });
  const reinstated: ExamSnapshot['notes'][number] = {
    id: 'note_reinstated_1',
    kind: 'reinstated',
    text: 'dismissed on review',
    incidentType: null,
    rule: null,
    minutes: null,
    outcome: null,
    at: 5,
  };
  const ending: NonNullable<ExamState['ending']> = {
    kind: 'terminated',
    incident: { id: 'i1', type: 'face.absent', start: 1, end: null, confidence: 1, detail: {} },
    rule: '13',
    snapshotUrl: null,
  };

  it('a paused exam stays on the test (the screen blocks answering, the phase does not change)', () => {
    expect(examPhase(state({ snapshot: { ...running, paused: { at: 10, reason: 'noise in the room' } } }))).toBe('test');
  });

  it('ended in this browser, then reinstated: the devices again (they were stopped), then the test', () => {
    const ended = { ...state({ snapshot: running, camera: 'idle', microphone: 'idle' }), ending };
    expect(examPhase(ended)).toBe('ended');
    const withNote = { ...running, notes: [reinstated] };
    const note = reinstatementNote(withNote, new Set());
    expect(note?.id).toBe('note_reinstated_1');
    const after = { ...ended, snapshot: withNote, ...reinstatedState(ended, false) };
    expect(after.ending).toBeNull();
    expect(examPhase(after)).toBe('devices');
    expect(examPhase({ ...after, camera: 'on', microphone: 'on' })).toBe('test');
  });

  it('terminated at the centre, then reinstated: the devices again', () => {
    const terminated = state({ snapshot: { ...running, status: 'terminated' }, camera: 'idle', microphone: 'idle' });
    expect(examPhase(terminated)).toBe('ended');
    expect(examPhase({ ...terminated, snapshot: { ...running, notes: [reinstated] } })).toBe('devices');
  });

  it('a reinstatement is acted on once: a later ending by this browser stands while the note is unread', () => {
    const withNote = { ...running, notes: [reinstated] };
    expect(reinstatementNote(withNote, new Set(['note_reinstated_1']))).toBeNull();
    expect(reinstatementNote({ ...withNote, status: 'terminated' }, new Set())).toBeNull();
    expect(examPhase({ ...state({ snapshot: withNote }), ending })).toBe('ended');
  });

  it('identity after failed tries: rejected by the proctor stays on identity (locked); approved moves on', () => {
    const prestart = (decision: 'approved' | 'rejected', verifiedAt: number | null): ExamSnapshot['prestart'] => ({
      ...snapshot().prestart,
      identity: { hasReference: true, verifiedAt, attempts: 3, decision },
      roomScan: null,
    });
    expect(examPhase(state({ snapshot: snapshot({ prestart: prestart('rejected', null) }) }))).toBe('identity');
    expect(examPhase(state({ snapshot: snapshot({ prestart: prestart('approved', 9) }) }))).toBe('room-scan');
  });
});
