/**
 * Rule 19: a candidate who failed gets, with the notice, recommendations for improving their
 * knowledge. Ours name the topics of the questions answered wrongly, most wrong answers first,
 * each with "N of M questions on this topic were answered wrongly". They never carry a
 * question's text, an option or the answer key: only topic names and counts.
 *
 * "Wrong" is what rule 15's grading does not credit (scoring.ts): a wrong choice, an incomplete
 * multiple choice, or no answer at all. M counts the questions of the topic the candidate was
 * asked (an exam draws `questionsPerExam` of the bank), so pass the questions of the exam, not
 * the whole bank, unless the exam asked them all.
 */
import type { UiLanguage } from './languages';
import type { LocalisedText, QuestionTopic, SeedQuestion } from './programme';
import { isAnswerCorrect } from './scoring';

export interface TopicRecommendation {
  /** The topic's id, or null for questions stored before topics existed (see OTHER_TOPIC). */
  topicId: string | null;
  /** The topic's name in the language asked for. */
  topic: string;
  /** Questions of this topic answered wrongly. */
  wrong: number;
  /** Questions of this topic in the exam. */
  asked: number;
  /** The sentence for the notice: "N of M questions on this topic were answered wrongly". */
  text: string;
}

export type RecommendationErrorCode = 'unknown_question';

export class RecommendationError extends Error {
  override readonly name = 'RecommendationError';
  constructor(
    readonly code: RecommendationErrorCode,
    readonly questionId: string,
  ) {
    super(`question ${questionId} was not among the questions asked`);
  }
}

/** Questions written to a bank before topics existed have none; they are grouped under this name. */
export const OTHER_TOPIC: LocalisedText = { kk: 'Басқа сұрақтар', ru: 'Прочие вопросы', en: 'Other questions' };

/** What the recommendation needs of a question: its id and topic (older stored banks may lack it). */
export interface TopicQuestion {
  id: string;
  topic?: QuestionTopic | undefined;
}

function sentence(wrong: number, asked: number, language: UiLanguage): string {
  switch (language) {
    case 'kk':
      // "Of M questions, to N questions a wrong answer was given": no case ending after a numeral.
      return `Осы тақырып бойынша ${asked} сұрақтың ${wrong} сұрағына қате жауап берілді.`;
    case 'ru': {
      // After "из" the genitive: из 1 / 21 вопроса, из 2 / 5 / 11 вопросов.
      const noun = new Intl.PluralRules('ru').select(asked) === 'one' ? 'вопроса' : 'вопросов';
      return `По этой теме неверно отвечено на ${wrong} из ${asked} ${noun}.`;
    }
    case 'en':
      return `${wrong} of ${asked} ${asked === 1 ? 'question' : 'questions'} on this topic ${wrong === 1 ? 'was' : 'were'} answered wrongly.`;
  }
}

/**
 * The topics to study, most wrong answers first; ties by the larger share wrong, then by the
 * topic's first place in `questions` (so the order is the same in every language). Topics with
 * no wrong answer are left out. A wrong id that was not asked is a RecommendationError.
 */
export function recommendationsFor(
  questions: readonly TopicQuestion[],
  wrongQuestionIds: Iterable<string>,
  language: UiLanguage,
): TopicRecommendation[] {
  const groups = new Map<string, { topicId: string | null; name: LocalisedText; first: number; asked: number; wrong: number }>();
  const groupOf = new Map<string, string>();
  questions.forEach((q, index) => {
    if (groupOf.has(q.id)) return; // a question listed twice is asked once
    const key = q.topic ? `t:${q.topic.id}` : 'other';
    let g = groups.get(key);
    if (!g) {
      g = { topicId: q.topic?.id ?? null, name: q.topic?.name ?? OTHER_TOPIC, first: index, asked: 0, wrong: 0 };
      groups.set(key, g);
    }
    g.asked++;
    groupOf.set(q.id, key);
  });
  for (const id of new Set(wrongQuestionIds)) {
    const key = groupOf.get(id);
    if (key === undefined) throw new RecommendationError('unknown_question', id);
    groups.get(key)!.wrong++;
  }
  return [...groups.values()]
    .filter((g) => g.wrong > 0)
    .sort((a, b) => b.wrong - a.wrong || b.wrong * a.asked - a.wrong * b.asked || a.first - b.first)
    .map((g) => ({
      topicId: g.topicId,
      topic: g.name[language],
      wrong: g.wrong,
      asked: g.asked,
      text: sentence(g.wrong, g.asked, language),
    }));
}

/** The ids of the questions rule 15's grading does not credit, given the answers by question id. */
export function wrongQuestionIds(questions: readonly SeedQuestion[], answers: ReadonlyMap<string, readonly string[]>): string[] {
  return questions
    .filter(
      (q) =>
        !isAnswerCorrect(
          q.options.filter((o) => o.correct).map((o) => o.id),
          answers.get(q.id) ?? [],
        ),
    )
    .map((q) => q.id);
}
