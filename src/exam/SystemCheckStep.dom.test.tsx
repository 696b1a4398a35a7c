import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RequestError } from '../session/candidate-connection';
import { latinWords, renderScreen } from './screen-test-kit';
import { judgeSystemCheck, SYSTEM_CHECK_THRESHOLDS, type CheckedItem, type SystemCheckMeasurements } from './system-check-verdict';
import { GOOD_LAPTOP, testSnapshot } from './test-snapshot';
import { SystemCheckStep } from './SystemCheckStep';

/** A good laptop's figures, with a fast link (six figures to format); each test changes what it needs and the real verdict judges them. */
const GOOD: SystemCheckMeasurements = { ...GOOD_LAPTOP, network: { offline: false, kbps: 216_947, rttMs: 4 } };
const state = { snapshot: testSnapshot({ prestart: { ...testSnapshot().prestart, systemCheck: null } }) };
const judged = (over: Partial<SystemCheckMeasurements> = {}): CheckedItem[] => judgeSystemCheck({ ...GOOD, ...over });

describe('the system check step', () => {
  it('every item passed: ✓ with its figures in the reader’s number format; Continue sends the check to the centre', async () => {
    const user = userEvent.setup();
    const items = judged();
    const { t, argsOf, container } = renderScreen(<SystemCheckStep />, {
      language: 'ru',
      state,
      answers: { systemCheck: { runSystemCheck: (progress) => (progress(items), Promise.resolve(items)) } },
    });
    await user.click(screen.getByTestId('check-run'));
    expect(screen.getByTestId('check-summary').textContent).toBe(t('check.passed'));
    // Russian groups thousands with a space and writes a decimal comma.
    expect(screen.getByTestId('check-network').textContent).toMatch(/216\s947/);
    expect(screen.getByTestId('check-models').textContent).toContain('6,5');
    await user.click(screen.getByRole('button', { name: t('check.continue') }));
    expect(argsOf('systemCheck.confirmSystemCheck')).toEqual([[items]]);
    expect(latinWords(container)).toEqual([]);
  });

  it('a slow upload fails its item with the minimum in words; the rest stay ✓; Retry runs the whole check again', async () => {
    const user = userEvent.setup();
    const items = judged({ network: { offline: false, kbps: 150, rttMs: 40 } });
    const { t, argsOf } = renderScreen(<SystemCheckStep />, {
      state,
      answers: { systemCheck: { runSystemCheck: () => Promise.resolve(items) } },
    });
    await user.click(screen.getByRole('button', { name: t('check.start') }));
    const network = screen.getByTestId('check-network');
    expect(network.getAttribute('data-ok')).toBe('false');
    expect(network.textContent).toContain(t('check.network.slow', { minKbps: SYSTEM_CHECK_THRESHOLDS.minUploadKbps }));
    expect(screen.getByTestId('check-camera').getAttribute('data-ok')).toBe('true');
    expect(screen.getByTestId('check-summary').getAttribute('role')).toBe('alert');
    expect(screen.queryByRole('button', { name: t('check.continue') })).toBeNull();
    await user.click(screen.getByRole('button', { name: t('check.retry') }));
    expect(argsOf('systemCheck.runSystemCheck')).toHaveLength(2);
  });

  it('the centre does not take a passed check: the network item turns red and the candidate cannot go on', async () => {
    const user = userEvent.setup();
    const items = judged();
    const offline = items.map((i) => (i.item === 'network' ? { ...i, ok: false, reason: 'offline' as const } : i));
    const { t } = renderScreen(<SystemCheckStep />, {
      state,
      answers: {
        systemCheck: { runSystemCheck: () => Promise.resolve(items), confirmSystemCheck: () => Promise.resolve(offline) },
      },
    });
    await user.click(screen.getByRole('button', { name: t('check.start') }));
    await user.click(screen.getByRole('button', { name: t('check.continue') }));
    await waitFor(() => expect(screen.getByTestId('check-network').getAttribute('data-reason')).toBe('offline'));
    expect(screen.getByTestId('check-network').textContent).toContain(t('check.network.offline'));
    expect(screen.getByTestId('check-summary').textContent).toBe(t('check.failedSummary'));
  });

  it('the check itself breaks: the candidate is told in Kazakh and may run it again; the proctor hears of it', async () => {
    const user = userEvent.setup();
    const error = new RequestError('timeout', 'exam:system-check was not acknowledged in time');
    const { t, argsOf, container } = renderScreen(<SystemCheckStep />, {
      state,
      answers: { systemCheck: { runSystemCheck: () => Promise.reject(error) } },
    });
    await user.click(screen.getByRole('button', { name: t('check.start') }));
    expect((await screen.findByTestId('check-crashed')).textContent).toBe(t('check.crashed'));
    expect(argsOf('reportFailure')).toEqual([['system_check', error]]);
    expect(latinWords(container)).toEqual([]);
    expect(screen.getByRole('button', { name: t('check.retry') })).toBeTruthy();
  });
});
