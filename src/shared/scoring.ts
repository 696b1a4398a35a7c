/**
 * Rule 15: a candidate is admitted to the practical stage only with MORE THAN seventy per cent
 * correct answers of the total number of theory questions. 70% exactly is not enough.
 * A question counts as correct only when the chosen set equals the key exactly
 * (for multiple choice: all correct options and no wrong one).
 */
export const PASS_THRESHOLD_PERCENT = 70;

export interface KeyedQuestion {
  id: string;
  correctOptionIds: readonly string[];
}

export function isAnswerCorrect(key: readonly string[], chosen: readonly string[]): boolean {
  const chosenSet = new Set(chosen);
  if (chosenSet.size !== chosen.length) return false; // a repeated id is malformed, never credit it
  return chosenSet.size === key.length && key.every((id) => chosenSet.has(id));
}

/** Exact integer comparison: correct/total > 70/100  ⇔  correct*100 > 70*total. */
export function isAdmitted(correct: number, total: number): boolean {
  if (total <= 0 || correct < 0 || correct > total) return false;
  return correct * 100 > PASS_THRESHOLD_PERCENT * total;
}

export function gradeExam(
  questions: readonly KeyedQuestion[],
  answers: ReadonlyMap<string, readonly string[]>,
): { correct: number; total: number; percent: number; admitted: boolean } {
  const total = questions.length;
  const correct = questions.filter((q) => isAnswerCorrect(q.correctOptionIds, answers.get(q.id) ?? [])).length;
  const percent = total === 0 ? 0 : Math.round((correct * 1000) / total) / 10;
  return { correct, total, percent, admitted: isAdmitted(correct, total) };
}
