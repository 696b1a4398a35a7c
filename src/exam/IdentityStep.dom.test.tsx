import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RequestError } from '../session/candidate-connection';
import { MAX_IDENTITY_ATTEMPTS } from '../shared/identity';
import type { IdentityResult } from '../shared/protocol';
import { examStore, initialExamState, type ExamState } from '../stores/exam-store';
import type { CaptureOutcome, CaptureProgress, IdentityCapture } from './identity-runtime';
import { latinWords, renderScreen } from './screen-test-kit';
import { testSnapshot } from './test-snapshot';
import { IdentityStep } from './IdentityStep';

const DONE = testSnapshot().prestart;
function stateWith(attempts: number, ready = true, decision: 'rejected' | null = null): Partial<ExamState> {
  return {
    snapshot: testSnapshot({
      prestart: { ...DONE, identity: { hasReference: true, verifiedAt: null, attempts, decision }, roomScan: null },
    }),
    camera: 'on',
    microphone: 'on',
    proctoring: { ...initialExamState.proctoring, phase: ready ? 'ready' : 'loading', progress: ready ? 1 : 0.5 },
  };
}
const CAPTURE: IdentityCapture = {
  liveness: { passed: true, method: 'turn', yawMinDeg: -14, yawMaxDeg: 14, blinks: 0, durationMs: 4_000 },
  frontal: new Uint8Array([1]),
  left: new Uint8Array([2]),
  right: new Uint8Array([3]),
};
const result = (over: Partial<IdentityResult>): IdentityResult => ({
  matched: true,
  liveness: true,
  reference: 'file',
  attempts: 1,
  attemptsLeft: MAX_IDENTITY_ATTEMPTS - 1,
  ...over,
});
/** As the runtime does: the snapshot the centre answered with counts the try. */
const counted = (r: IdentityResult) => () => {
  const s = examStore.getState().snapshot!;
  examStore.setState({
    snapshot: {
      ...s,
      prestart: {
        ...s.prestart,
        identity: { ...s.prestart.identity, attempts: r.attempts, verifiedAt: r.matched && r.liveness ? Date.now() : null },
      },
    },
  });
  return Promise.resolve(r);
};

describe('the identity step (rule 2.8.6)', () => {
  it('waits for the models; then prompts the turns in a live region with progress, and a match is verified', async () => {
    const user = userEvent.setup();
    let progress: ((p: CaptureProgress) => void) | null = null;
    let finish: ((o: CaptureOutcome) => void) | null = null;
    const { t, argsOf, container } = renderScreen(<IdentityStep />, {
      state: stateWith(0, false),
      answers: {
        identity: {
          captureIdentity: (onProgress) => {
            progress = onProgress;
            return new Promise((resolve) => (finish = resolve));
          },
          verifyIdentity: counted(result({ attempts: 1 })),
        },
      },
    });
    expect((screen.getByRole('button', { name: t('identity.start') }) as HTMLButtonElement).disabled).toBe(true);
    act(() => examStore.setState({ proctoring: { ...examStore.getState().proctoring, phase: 'ready', progress: 1 } }));
    await user.click(screen.getByRole('button', { name: t('identity.start') }));
    const prompt = screen.getByTestId('identity-prompt');
    expect(prompt.getAttribute('aria-live')).toBe('polite');
    expect(prompt.textContent).toBe(t('identity.look'));
    act(() => progress!({ prompt: 'left', progress: 0.4 }));
    expect(prompt.textContent).toBe(t('identity.left'));
    expect(screen.getByRole('progressbar', { name: t('identity.progress') }).getAttribute('aria-valuetext')).toBe('40%');
    await act(async () => finish!({ ok: true, capture: CAPTURE }));
    expect(argsOf('identity.verifyIdentity')).toEqual([[CAPTURE]]);
    expect(screen.getByTestId('identity-verified').textContent).toContain(t('identity.verified'));
    expect(screen.queryByRole('button', { name: t('identity.tryAgain') })).toBeNull();
    expect(latinWords(container)).toEqual([]);
  });

  it('not the person on file: says so, with what to do and the tries left, and offers another try', async () => {
    const user = userEvent.setup();
    const { t } = renderScreen(<IdentityStep />, {
      language: 'ru',
      state: stateWith(1),
      answers: {
        identity: {
          captureIdentity: () => Promise.resolve({ ok: true, capture: CAPTURE }),
          verifyIdentity: counted(result({ matched: false, attempts: 2 })),
        },
      },
    });
    await user.click(screen.getByRole('button', { name: t('identity.start') }));
    const failed = await screen.findByTestId('identity-failed');
    expect(failed.getAttribute('role')).toBe('alert');
    expect(failed.textContent).toContain(t('identity.notMatched'));
    expect(failed.textContent).toContain(t('identity.tips'));
    expect(screen.getByTestId('identity-attempts').textContent).toBe(t('identity.attemptsLeft', { n: MAX_IDENTITY_ATTEMPTS - 2 }));
    // The verdict takes the focus, so a screen reader reads it.
    expect(document.activeElement?.id).toBe('identity-title');
    expect(screen.getByRole('button', { name: t('identity.tryAgain') })).toBeTruthy();
  });

  it('two faces before any photo: nothing is sent and the candidate is told to be alone', async () => {
    const user = userEvent.setup();
    const { t, argsOf } = renderScreen(<IdentityStep />, {
      state: stateWith(0),
      answers: { identity: { captureIdentity: () => Promise.resolve({ ok: false, failure: 'several_faces', capture: null }) } },
    });
    await user.click(screen.getByRole('button', { name: t('identity.start') }));
    expect((await screen.findByTestId('identity-failed')).textContent).toContain(t('identity.failed.several_faces'));
    expect(argsOf('identity.verifyIdentity')).toEqual([]);
  });

  it('a failed turn is still sent (the centre counts and logs it) and the page says the turn was not seen', async () => {
    const user = userEvent.setup();
    const noTurn = { ...CAPTURE, liveness: { ...CAPTURE.liveness, passed: false } };
    const { t, argsOf } = renderScreen(<IdentityStep />, {
      state: stateWith(0),
      answers: {
        identity: {
          captureIdentity: () => Promise.resolve({ ok: false, failure: 'timeout', capture: noTurn }),
          verifyIdentity: counted(result({ matched: false, liveness: false, attempts: 1 })),
        },
      },
    });
    await user.click(screen.getByRole('button', { name: t('identity.start') }));
    expect((await screen.findByTestId('identity-failed')).textContent).toContain(t('identity.failed.timeout'));
    expect(argsOf('identity.verifyIdentity')).toEqual([[noTurn]]);
  });

  it('the centre’s refusals: no usable face in its photos, too many tries (locked, with the centre’s contact), no answer', async () => {
    const user = userEvent.setup();
    const cases: Array<[Error, string]> = [
      [new RequestError('invalid', 'several faces in a photo', undefined, 'several_faces'), 'identity.failed.several_faces'],
      [new RequestError('invalid', 'no face in a photo', undefined, 'no_face'), 'identity.failed.no_face'],
      [new RequestError('timeout', 'identity:verify was not acknowledged in time'), 'identity.error'],
    ];
    for (const [error, key] of cases) {
      const { t, unmount, container } = renderScreen(<IdentityStep />, {
        state: stateWith(0),
        answers: {
          identity: {
            captureIdentity: () => Promise.resolve({ ok: true, capture: CAPTURE }),
            verifyIdentity: () => Promise.reject(error),
          },
        },
      });
      await user.click(screen.getByRole('button', { name: t('identity.start') }));
      expect((await screen.findByTestId('identity-failed')).textContent).toContain(t(key as Parameters<typeof t>[0]));
      expect(latinWords(container)).toEqual([]);
      unmount();
    }
    const locked = renderScreen(<IdentityStep />, {
      state: stateWith(2),
      answers: {
        identity: {
          captureIdentity: () => Promise.resolve({ ok: true, capture: CAPTURE }),
          verifyIdentity: () => Promise.reject(new RequestError('too_many', 'too many tries')),
        },
      },
    });
    await user.click(screen.getByRole('button', { name: locked.t('identity.start') }));
    const lockedView = await screen.findByTestId('identity-locked');
    expect(lockedView.textContent).toContain(locked.t('identity.locked'));
    expect(lockedView.textContent).toContain('TN-4F7K2Q');
    expect(screen.queryByRole('button', { name: locked.t('identity.tryAgain') })).toBeNull();
  });

  it('every try used, or a proctor rejected: locked from the start, and a rejection says so', () => {
    const used = renderScreen(<IdentityStep />, { state: stateWith(MAX_IDENTITY_ATTEMPTS) });
    expect(screen.getByTestId('identity-locked').textContent).toContain(used.t('identity.locked'));
    expect(screen.queryByRole('button', { name: used.t('identity.start') })).toBeNull();
    used.unmount();
    const rejected = renderScreen(<IdentityStep />, { state: stateWith(MAX_IDENTITY_ATTEMPTS, true, 'rejected') });
    expect(screen.getByTestId('identity-locked').getAttribute('data-decision')).toBe('rejected');
    expect(screen.getByTestId('identity-locked').textContent).toContain(rejected.t('identity.rejected'));
  });
});
