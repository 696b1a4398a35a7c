import { describe, expect, it } from 'vitest';
import { CLIENT_EVENT_TYPES, clientEventSchema, eventLevel, invalid, saveAnswerSchema, type EventType } from './protocol';

const base = { seq: 1, id: 'evt_0123abcd', type: 'env.tab_hidden', at: 1_750_000_000_000 } as const;
const accepts = (payload: unknown) => clientEventSchema.safeParse(payload).success;

describe('clientEventSchema (validated at the server boundary)', () => {
  it.each<[string, unknown]>([
    ['env.tab_hidden without data', base],
    ['env.tab_hidden with empty data', { ...base, data: {} }],
    ['device.camera on', { ...base, type: 'device.camera', data: { state: 'on' } }],
    ['device.mic lost with a label', { ...base, type: 'device.mic', data: { state: 'lost', label: 'USB mic' } }],
    ['device.camera with a 200-character label', { ...base, type: 'device.camera', data: { state: 'on', label: 'x'.repeat(200) } }],
    ['exam.question_viewed', { ...base, type: 'exam.question_viewed', data: { index: 0 } }],
    ['the largest seq', { ...base, seq: Number.MAX_SAFE_INTEGER }],
    ['a 64-character id', { ...base, id: 'a'.repeat(64) }],
  ])('accepts %s', (_name, payload) => {
    expect(accepts(payload)).toBe(true);
  });

  it('every client event type has a payload schema that accepts a valid event', () => {
    const data: Partial<Record<string, unknown>> = {
      'device.camera': { state: 'on' },
      'device.mic': { state: 'off' },
      'exam.question_viewed': { index: 2 },
      'incident.open': {
        incident: { id: 'inc-00000001', type: 'face.absent', start: 1_000, end: null, confidence: 0.9, detail: { faces: 0 } },
        evidenceSha256: 'a'.repeat(64),
      },
      'incident.close': {
        incident: { id: 'inc-00000001', type: 'face.absent', start: 1_000, end: 5_000, confidence: 0.9, detail: { faces: 0 } },
      },
      'proctoring.ready': { backend: 'wasm', msToReady: 2_400, models: ['faces', 'landmarks'] },
      'proctoring.failed': { message: 'wasm backend unavailable' },
      'browser.unsupported': { browser: 'firefox', version: 115, reason: 'old_version', missing: [] },
      'room_scan.object': { id: 'scan-00000001', incident: 'object.phone', score: 0.61, at: 4_200, evidenceSha256: 'a'.repeat(64) },
      'upload.backlog': { items: 20, bytes: 2_400_000, chunks: 19, dropped: 0, storageFull: false },
      'client.error': { operation: 'navigate', code: 'timeout', message: 'exam:navigate was not acknowledged in time' },
      'signals.seconds': {
        t0: 1_750_000_000_000,
        s: [
          [0, 1, 2.5, -3, -48.2, 0.1, 9],
          [1, 1, 3, -3, -50, 0, 8],
        ],
      },
    };
    for (const type of CLIENT_EVENT_TYPES) expect(accepts({ ...base, type, data: data[type] }), type).toBe(true);
  });

  it.each<[string, unknown]>([
    ['an unknown type', { ...base, type: 'env.clipboard' }],
    [
      'an unsupported browser with a feature not on the list',
      { ...base, type: 'browser.unsupported', data: { browser: 'firefox', version: 153, reason: 'missing_features', missing: ['webGpu'] } },
    ],
    [
      'an unsupported browser with an unknown reason',
      { ...base, type: 'browser.unsupported', data: { browser: 'safari', version: 18, reason: 'disliked', missing: [] } },
    ],
    [
      'an incident with an unknown type',
      {
        ...base,
        type: 'incident.open',
        data: { incident: { id: 'inc-00000001', type: 'face.gone', start: 1, end: null, confidence: 1, detail: {} } },
      },
    ],
    [
      'an incident opening with an end',
      {
        ...base,
        type: 'incident.open',
        data: { incident: { id: 'inc-00000001', type: 'face.absent', start: 1, end: 2, confidence: 1, detail: {} } },
      },
    ],
    [
      'an incident evidence hash that is not sha-256',
      {
        ...base,
        type: 'incident.open',
        data: {
          incident: { id: 'inc-00000001', type: 'face.absent', start: 1, end: null, confidence: 1, detail: {} },
          evidenceSha256: 'xyz',
        },
      },
    ],
    ['a server event type from the browser', { ...base, type: 'exam.submitted' }],
    ['seq 0', { ...base, seq: 0 }],
    ['a negative seq', { ...base, seq: -1 }],
    ['a fractional seq', { ...base, seq: 1.5 }],
    ['a seq as a string', { ...base, seq: '1' }],
    ['a missing seq', { id: base.id, type: base.type, at: base.at }],
    ['an id that is too short', { ...base, id: 'abc' }],
    ['an id that is too long', { ...base, id: 'a'.repeat(65) }],
    ['an id with a slash', { ...base, id: 'evt/0123abcd' }],
    ['an id with a space', { ...base, id: 'evt 0123abcd' }],
    ['a negative time', { ...base, at: -1 }],
    ['an extra top-level key', { ...base, sessionId: 'other-session' }],
    ['device.camera with a bad state', { ...base, type: 'device.camera', data: { state: 'broken' } }],
    ['device.camera without data', { ...base, type: 'device.camera' }],
    ['device.camera with an extra data key', { ...base, type: 'device.camera', data: { state: 'on', x: 1 } }],
    ['device.camera with a 201-character label', { ...base, type: 'device.camera', data: { state: 'on', label: 'x'.repeat(201) } }],
    ['device.camera with a 300-character label', { ...base, type: 'device.camera', data: { state: 'on', label: 'x'.repeat(300) } }],
    ['env.focus_lost with data {x:1}', { ...base, type: 'env.focus_lost', data: { x: 1 } }],
    ['env.tab_hidden with data as a string', { ...base, data: 'hidden' }],
    ['exam.question_viewed with a negative index', { ...base, type: 'exam.question_viewed', data: { index: -1 } }],
    ['exam.question_viewed without data', { ...base, type: 'exam.question_viewed' }],
    ['null', null],
    ['a string', 'str'],
    ['a number', 42],
    ['an array', [base]],
    ['undefined', undefined],
  ])('rejects %s', (_name, payload) => {
    expect(accepts(payload)).toBe(false);
  });

  it('names the offending field in the error', () => {
    const r = clientEventSchema.safeParse({ ...base, type: 'device.camera', data: { state: 'broken' } });
    expect(r.success).toBe(false);
    if (!r.success) {
      const { error } = invalid(r.error);
      expect(error.code).toBe('invalid');
      expect(error.message).toMatch(/^data: /);
    }
  });
});

describe('saveAnswerSchema', () => {
  const answer = { questionId: 'q01', optionIds: ['a', 'c'], rev: 1 };
  it.each<[string, unknown, boolean]>([
    ['a valid answer', answer, true],
    ['an empty answer (cleared)', { ...answer, optionIds: [] }, true],
    ['8 options', { ...answer, optionIds: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] }, true],
    ['more than 8 options', { ...answer, optionIds: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }, false],
    ['rev 0', { ...answer, rev: 0 }, false],
    ['a fractional rev', { ...answer, rev: 1.5 }, false],
    ['an option id with capitals', { ...answer, optionIds: ['A'] }, false],
    ['a bad question id', { ...answer, questionId: '../q01' }, false],
    ['an extra key', { ...answer, correct: true }, false],
    ['null', null, false],
  ])('%s → %s', (_name, payload, ok) => {
    expect(saveAnswerSchema.safeParse(payload).success).toBe(ok);
  });
});

describe('eventLevel (what a proctor must look at)', () => {
  it.each<[EventType, unknown, 'info' | 'incident']>([
    ['incident.open', { incident: { type: 'face.absent' } }, 'incident'],
    ['incident.close', { incident: { type: 'face.absent' } }, 'info'],
    ['policy.warning', { type: 'face.absent' }, 'incident'],
    ['policy.terminated', { type: 'face.absent' }, 'incident'],
    ['policy.suspended', { type: 'tech.camera_lost' }, 'incident'],
    ['evidence.stored', {}, 'info'],
    ['proctoring.ready', {}, 'info'],
    ['env.tab_hidden', undefined, 'incident'],
    ['env.focus_lost', undefined, 'incident'],
    ['env.fullscreen_exit', undefined, 'incident'],
    ['session.disconnected', null, 'incident'],
    ['exam.timeout', null, 'incident'],
    ['env.tab_visible', undefined, 'info'],
    ['env.focus_back', undefined, 'info'],
    ['env.fullscreen_enter', undefined, 'info'],
    ['exam.question_viewed', { index: 1 }, 'info'],
    ['answer.saved', { questionId: 'q01' }, 'info'],
    ['device.camera', { state: 'on' }, 'info'],
    ['device.camera', { state: 'lost' }, 'incident'],
    ['device.camera', { state: 'off' }, 'incident'],
    ['device.camera', { state: 'denied' }, 'incident'],
    ['device.mic', { state: 'on' }, 'info'],
    ['device.mic', { state: 'missing' }, 'incident'],
  ])('%s %j → %s', (type, data, level) => {
    expect(eventLevel(type, data)).toBe(level);
  });
});
