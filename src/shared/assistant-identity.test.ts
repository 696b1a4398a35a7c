import { describe, expect, it } from 'vitest';
import { NO_ACCOMMODATIONS, type Accommodations } from './accommodations';
import { assistantDone, assistantPhotoId, assistantRequired, judgeAssistantFace } from './assistant-identity';
import { IDENTITY_THRESHOLD, SAME_FACE_THRESHOLD } from './identity';

const ASSISTED: Accommodations = { ...NO_ACCOMMODATIONS, assistant: { name: 'Ахметова Дана' } };
const SPEECH_ONLY: Accommodations = { ...NO_ACCOMMODATIONS, speech: true };

describe('the assistant at the identity step (rule 11)', () => {
  it.each<[string, Accommodations | null, { acceptedAt: number | null } | null, boolean, boolean]>([
    ['no accommodations', null, null, false, true],
    ['accommodations without an assistant', SPEECH_ONLY, null, false, true],
    ['an assistant, no try yet', ASSISTED, null, true, false],
    ['an assistant, refused so far', ASSISTED, { acceptedAt: null }, true, false],
    ['an assistant, accepted', ASSISTED, { acceptedAt: 5 }, true, true],
  ])('%s: required %s, done %s', (_name, a, record, required, done) => {
    expect(assistantRequired(a)).toBe(required);
    expect(assistantDone(a, record)).toBe(done);
  });

  it('a face as like the candidate as their own turned face (SAME_FACE_THRESHOLD) is the candidate; nothing to compare with is accepted', () => {
    expect(judgeAssistantFace(IDENTITY_THRESHOLD)).toBe('same_person');
    expect(judgeAssistantFace(0.83)).toBe('same_person');
    expect(judgeAssistantFace(0.55)).toBe('same_person'); // the candidate turning the head: under 0.6, still the candidate
    expect(judgeAssistantFace(SAME_FACE_THRESHOLD)).toBe('same_person');
    expect(judgeAssistantFace(SAME_FACE_THRESHOLD - 0.0001)).toBeNull();
    expect(judgeAssistantFace(0.44)).toBeNull(); // the most similar stranger measured scored 0.47
    expect(judgeAssistantFace(null)).toBeNull();
  });

  it('photos are identity photos by their id (identity-…: the face-photo access rule covers them)', () => {
    expect(assistantPhotoId(2)).toBe('identity-assistant-2');
    expect(assistantPhotoId(1).startsWith('identity-')).toBe(true);
  });
});
