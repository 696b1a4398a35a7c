import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RequestError } from '../session/candidate-connection';
import { examStore, type ExamState } from '../stores/exam-store';
import { translator } from '../ui/i18n/i18n';
import { latinWords, renderScreen } from './screen-test-kit';
import { TEST_QUESTIONS, testSnapshot } from './test-snapshot';
import { TestScreen } from './TestScreen';

const NOW = Date.now();
/** A running exam: three questions, 40 minutes left on the centre's clock. */
function running(over: Partial<ExamState> = {}, snapshot: Parameters<typeof testSnapshot>[0] = {}): Partial<ExamState> {
  return {
    snapshot: testSnapshot({
      status: 'in_progress',
      startedAt: NOW,
      deadlineAt: NOW + 40 * 60_000,
      serverNow: NOW,
      questions: TEST_QUESTIONS,
      ...snapshot,
    }),
    camera: 'on',
    microphone: 'on',
    ...over,
  };
}

describe('the test screen', () => {
  it('a one-answer question sends the option chosen; the map and the buttons move between questions', async () => {
    const user = userEvent.setup();
    const { t, argsOf, container } = renderScreen(<TestScreen />, { state: running() });
    expect(screen.getByRole('heading', { level: 2 }).textContent).toContain(TEST_QUESTIONS[0]!.text);
    await user.click(screen.getByLabelText('Вольтметрмен'));
    expect(argsOf('chooseOptions')).toEqual([['q1', ['a']]]);
    expect((screen.getByRole('button', { name: t('test.prev') }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: t('test.next') }));
    await user.click(screen.getByRole('button', { name: t('test.goTo', { n: 3, state: t('test.stateEmpty') }) }));
    expect(argsOf('goTo')).toEqual([[1], [2]]);
    // Watching the window starts with the screen (after a reload there is no Start press to start it).
    expect(argsOf('resumeWatching')).toEqual([[]]);
    expect(latinWords(container)).toEqual([]);
  });

  it('a several-answer question sends every option ticked in the order shown, and an untick takes one away', async () => {
    const user = userEvent.setup();
    const answers = { q2: { optionIds: ['c'], rev: 5, state: 'saved' as const } };
    const { argsOf, t } = renderScreen(<TestScreen />, { state: running({ currentIndex: 1, answers }) });
    expect(screen.getByTestId('save-state').textContent).toBe(t('test.saved'));
    await user.click(screen.getByLabelText('Мыс'));
    expect(argsOf('chooseOptions')).toEqual([['q2', ['a', 'c']]]);
    await user.click(screen.getByLabelText('Алюминий'));
    expect(argsOf('chooseOptions')[1]).toEqual(['q2', []]);
    // The map says which questions have an answer.
    expect(screen.getByRole('button', { name: t('test.goTo', { n: 2, state: t('test.stateAnswered') }) })).toBeTruthy();
    expect(screen.getByTestId('answered-count').textContent).toBe(t('test.answered', { answered: 1, total: 3 }));
  });

  it('while the proctor has paused the exam nothing can be answered or moved, and the reason is shown', async () => {
    const user = userEvent.setup();
    const paused = { reason: 'Техникалық тексеру', at: NOW };
    const { argsOf, t } = renderScreen(<TestScreen />, { state: running({}, { paused }) });
    expect(screen.getByTestId('paused-reason').textContent).toBe(t('paused.reason', { reason: 'Техникалық тексеру' }));
    for (const button of [t('test.next'), t('test.submit')])
      expect((screen.getByRole('button', { name: button, hidden: true }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByLabelText('Вольтметрмен'));
    expect(argsOf('chooseOptions')).toEqual([]);
  });

  it('Submit asks first (with the unanswered count), then hands in; a failed hand-in says why in the candidate’s language', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const { t, argsOf } = renderScreen(<TestScreen />, {
      language: 'ru',
      state: running({ answers: { q1: { optionIds: ['a'], rev: 2, state: 'saved' } } }, { language: 'ru' }),
      answers: {
        submitExam: () => (++attempt === 1 ? Promise.reject(new RequestError('timeout', 'no answer in time')) : Promise.resolve()),
      },
    });
    await user.click(screen.getByRole('button', { name: t('test.submit') }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText(t('submit.unanswered', { count: 2 }))).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: t('submit.confirm') }));
    const error = await screen.findByTestId('submit-error');
    expect(error.textContent).toBe(t('submit.failed', { reason: t('client.reason.timeout') }));
    expect(error.textContent).not.toContain('no answer in time');
    await user.click(within(dialog).getByRole('button', { name: t('submit.confirm') }));
    expect(argsOf('submitExam')).toHaveLength(2);
    expect(screen.queryByTestId('submit-error')).toBeNull();
    // Back closes the dialog without handing in.
    await user.click(within(dialog).getByRole('button', { name: t('submit.back') }));
    expect(examStore.getState().confirmingSubmit).toBe(false);
    expect(argsOf('submitExam')).toHaveLength(2);
  });

  it('when the time is up the exam is handed in once by itself; a failure of that reaches the proctor', async () => {
    const failure = new RequestError('timeout', 'no answer in time');
    const { argsOf } = renderScreen(<TestScreen />, {
      state: running({}, { deadlineAt: NOW - 1_000 }),
      answers: { submitExam: () => Promise.reject(failure) },
    });
    // Let the countdown re-render a few times: still one hand-in.
    await act(() => new Promise((resolve) => setTimeout(resolve, 600)));
    expect(argsOf('submitExam')).toHaveLength(1);
    expect(argsOf('reportFailure')).toEqual([['submit', failure]]);
    expect(screen.getByTestId('countdown').textContent).toBe('00:00');
  });

  it('full screen left: a banner with the rule’s seconds and a button back', async () => {
    const user = userEvent.setup();
    const { t, argsOf } = renderScreen(<TestScreen />, { state: running({ fullscreenLost: true }) });
    const banner = screen.getAllByRole('alert').find((a) => a.textContent?.includes(t('test.fullscreenReturn')))!;
    expect(banner).toBeTruthy();
    await user.click(within(banner).getByRole('button', { name: t('test.fullscreenReturn') }));
    expect(argsOf('returnToFullscreen')).toEqual([[]]);
  });

  it('the same screen in Russian reads Russian', () => {
    const ru = translator('ru');
    const { container } = renderScreen(<TestScreen />, { language: 'ru', state: running({}, { language: 'ru' }) });
    expect(screen.getByRole('button', { name: ru('test.next') })).toBeTruthy();
    expect(latinWords(container)).toEqual([]);
  });
});
