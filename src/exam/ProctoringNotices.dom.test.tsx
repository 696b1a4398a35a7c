import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Incident, IncidentType } from '../shared/incidents';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import type { DecisionView, ExamState } from '../stores/exam-store';
import { latinWords, renderScreen } from './screen-test-kit';
import { testSnapshot } from './test-snapshot';
import { ProctoringLoading, WarningDialog } from './ProctoringNotices';

/** Rule 13's first violation as the engine decided it: `openFor` ms ago and still going, or ended. */
function warned(type: IncidentType, openForMs: number, ended: boolean, snapshotUrl: string | null = null): Partial<ExamState> {
  const now = Date.now();
  const incident: Incident = {
    id: 'inc-1',
    type,
    start: now - openForMs,
    end: ended ? now - 1_000 : null,
    confidence: 0.9,
    detail: { faces: 2 },
  };
  const warning: DecisionView = { incident, rule: '13', snapshotUrl };
  return { snapshot: testSnapshot({ status: 'in_progress' }), warning };
}

describe('the rule 13 warning', () => {
  it('says what was seen, which rule, shows the snapshot and that the next one ends the exam; Understood closes it', async () => {
    const user = userEvent.setup();
    const { t, argsOf, container } = renderScreen(<WarningDialog />, {
      state: warned('face.multiple', 8_000, true, 'blob:snapshot-1'),
    });
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.getAttribute('aria-labelledby')).toBe('warning-title');
    expect(screen.getByRole('heading', { name: t('warning.title') })).toBeTruthy();
    expect(dialog.textContent).toContain(t('incident.face.multiple'));
    expect(dialog.textContent).toContain(t('incident.face.multiple.explain'));
    expect(dialog.textContent).toContain(t('warning.rule', { rule: '13' }));
    expect(dialog.textContent).toContain(t('warning.next'));
    expect(screen.getByRole('img', { name: t('warning.snapshot') }).getAttribute('src')).toBe('blob:snapshot-1');
    // Ended before the warning was read: nothing counts down.
    expect(screen.queryByTestId('warning-countdown')).toBeNull();
    await user.click(screen.getByRole('button', { name: t('warning.understood') }));
    expect(argsOf('dismissWarning')).toHaveLength(1);
    expect(latinWords(container, ['blob'])).toEqual([]);
  });

  it('while the violation goes on, the seconds left to end it are counted down (rule 13’s grace)', () => {
    const config = DEFAULT_PROCTORING;
    const openFor = config.incidents['face.multiple'].afterSec * 1000 + 2_000;
    const { t } = renderScreen(<WarningDialog />, { language: 'ru', state: warned('face.multiple', openFor, false) });
    const timer = screen.getByRole('timer');
    const seconds = Number(timer.getAttribute('data-seconds'));
    // Settled at afterSec, so 2 s of the grace are gone (give or take the second being rendered).
    expect(seconds).toBeGreaterThanOrEqual(config.warningGraceSec - 3);
    expect(seconds).toBeLessThanOrEqual(config.warningGraceSec - 1);
    expect(timer.textContent).toBe(t('warning.grace.alone', { seconds }));
  });

  it('full screen left and not back yet: the one button returns to full screen (and closes the warning)', async () => {
    const user = userEvent.setup();
    const { t, argsOf } = renderScreen(<WarningDialog />, { state: warned('env.fullscreen_exit', 3_000, false) });
    expect(screen.queryByRole('button', { name: t('warning.understood') })).toBeNull();
    await user.click(screen.getByRole('button', { name: t('test.fullscreenReturn') }));
    expect(argsOf('returnToFullscreenAndDismiss')).toHaveLength(1);
    expect(argsOf('dismissWarning')).toHaveLength(0);
  });

  it('no warning: no dialog', () => {
    renderScreen(<WarningDialog />, { state: { snapshot: testSnapshot({ status: 'in_progress' }) } });
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});

describe('the proctoring models before the start', () => {
  it('loading shows its progress; a failure offers to try again, which starts the models again', async () => {
    const user = userEvent.setup();
    const loading = renderScreen(<ProctoringLoading />, {
      state: { proctoring: { phase: 'loading', progress: 0.42, fps: 0, frameMs: 0, error: null } },
    });
    expect(screen.getByRole('progressbar').getAttribute('aria-valuetext')).toBe('42%');
    loading.unmount();
    const failed = renderScreen(<ProctoringLoading />, {
      state: { proctoring: { phase: 'failed', progress: 0.42, fps: 0, frameMs: 0, error: 'wasm' } },
    });
    expect(screen.getByRole('alert').textContent).toContain(failed.t('proctoring.failed'));
    await user.click(screen.getByRole('button', { name: failed.t('common.retry') }));
    expect(failed.argsOf('retryProctoring')).toHaveLength(1);
  });
});
