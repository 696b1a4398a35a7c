/**
 * Rendering one candidate screen in a component test (vitest's happy-dom environment, the 'dom'
 * project): a fake runtime through the same React context the page uses, the real exam store set to
 * the state the test describes, and the candidate's language.
 */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { UiLanguage } from '../shared/programme';
import { examStore, initialExamState, type ExamState } from '../stores/exam-store';
import { setUiLanguage, translator, type Translate } from '../ui/i18n/i18n';
import { fakeCandidateRuntime, type FakeAnswers, type FakeCandidateRuntime } from './fake-candidate-runtime';
import { CandidateRuntimeContext } from './runtime-context';

export interface RenderedScreen extends RenderResult, FakeCandidateRuntime {
  /** The screen's language's catalogue: what the candidate should read. */
  t: Translate;
}

export function renderScreen(
  ui: ReactNode,
  options: { state?: Partial<ExamState>; answers?: FakeAnswers; language?: UiLanguage } = {},
): RenderedScreen {
  const language = options.language ?? 'kk';
  examStore.setState({ ...initialExamState, ...options.state }, true);
  setUiLanguage(language);
  const fake = fakeCandidateRuntime(options.answers);
  const rendered = render(<CandidateRuntimeContext value={fake.runtime}>{ui}</CandidateRuntimeContext>);
  return { ...rendered, ...fake, t: translator(language) };
}

/** Words in Latin letters on a Kazakh or Russian screen: English that leaked in (the exam's reference code aside). */
export function latinWords(element: HTMLElement, allowed: string[] = []): string[] {
  const text = element.textContent ?? '';
  return (text.match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !allowed.includes(w));
}
