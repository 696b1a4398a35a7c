import { describe, expect, it } from 'vitest';
import { NO_ACCOMMODATIONS, type Accommodations } from '../shared/accommodations';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import { missingPrestartStep } from './prestart-steps';

const ASSISTED: Accommodations = { ...NO_ACCOMMODATIONS, assistant: { name: 'Ахметова Дана' } };
const SPEECH_ONLY: Accommodations = { ...NO_ACCOMMODATIONS, speech: true };

describe('missingPrestartStep with an assistant (rule 11)', () => {
  it("the centre's gate: identity is done only with the assistant identified; without an assistant as before", () => {
    const steps = DEFAULT_PROCTORING.steps;
    const verified = {
      systemCheck: { ok: true, at: 1 },
      consent: { version: 'v1', textSha256: 'a'.repeat(64), language: 'ru' as const, at: 2 },
      identity: { verifiedAt: 3, similarity: null, attempts: 1, reference: 'enrolled' as const },
    };
    expect(missingPrestartStep(verified, steps)).toBe('roomScan');
    expect(missingPrestartStep(verified, steps, null, SPEECH_ONLY)).toBe('roomScan');
    expect(missingPrestartStep(verified, steps, null, ASSISTED)).toBe('identity');
    expect(
      missingPrestartStep(
        { ...verified, assistant: { acceptedAt: null, attempts: 2, photo: null, similarity: null } },
        steps,
        null,
        ASSISTED,
      ),
    ).toBe('identity');
    expect(
      missingPrestartStep(
        { ...verified, assistant: { acceptedAt: 4, attempts: 2, photo: 'identity-assistant-2', similarity: 0.4 } },
        steps,
        null,
        ASSISTED,
      ),
    ).toBe('roomScan');
    // The identity step itself is reached before the assistant (the candidate first), and switched off it asks for nobody.
    expect(missingPrestartStep(verified, steps, 'identity', ASSISTED)).toBeNull();
    expect(missingPrestartStep(verified, { ...steps, identity: false }, null, ASSISTED)).toBe('roomScan');
  });
});
