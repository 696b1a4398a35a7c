import { describe, expect, it } from 'vitest';
import { gradeExam, isAdmitted, isAnswerCorrect, PASS_THRESHOLD_PERCENT, type KeyedQuestion } from './scoring';

describe('isAnswerCorrect: the chosen set must equal the key exactly', () => {
  const cases: Array<{ name: string; key: string[]; chosen: string[]; expected: boolean }> = [
    { name: 'single choice, the right option', key: ['c'], chosen: ['c'], expected: true },
    { name: 'single choice, a wrong option', key: ['c'], chosen: ['a'], expected: false },
    { name: 'single choice, right plus wrong', key: ['c'], chosen: ['c', 'a'], expected: false },
    { name: 'multiple choice, all correct', key: ['a', 'c', 'd'], chosen: ['a', 'c', 'd'], expected: true },
    { name: 'multiple choice, order does not matter', key: ['a', 'c', 'd'], chosen: ['d', 'a', 'c'], expected: true },
    { name: 'multiple choice, one correct missing', key: ['a', 'c', 'd'], chosen: ['a', 'c'], expected: false },
    { name: 'multiple choice, all correct plus an extra wrong one', key: ['a', 'c'], chosen: ['a', 'c', 'b'], expected: false },
    { name: 'multiple choice, same count but one swapped for a wrong one', key: ['a', 'c'], chosen: ['a', 'b'], expected: false },
    { name: 'duplicate ids are malformed, never credited', key: ['a', 'c'], chosen: ['a', 'a'], expected: false },
    { name: 'duplicate ids of a complete answer are still not credited', key: ['a', 'c'], chosen: ['a', 'c', 'c'], expected: false },
    { name: 'duplicate id of a single-choice answer', key: ['c'], chosen: ['c', 'c'], expected: false },
    { name: 'empty answer to a keyed question', key: ['c'], chosen: [], expected: false },
    { name: 'empty answer to a multiple-choice question', key: ['a', 'b'], chosen: [], expected: false },
  ];
  it.each(cases)('$name → $expected', ({ key, chosen, expected }) => {
    expect(isAnswerCorrect(key, chosen)).toBe(expected);
  });
});

describe('isAdmitted (rule 15: MORE THAN 70% of all theory questions)', () => {
  it('the threshold is 70 per cent', () => {
    expect(PASS_THRESHOLD_PERCENT).toBe(70);
  });

  const table: Array<[correct: number, total: number, admitted: boolean, why: string]> = [
    [21, 30, false, 'exactly 70% is not admitted'],
    [22, 30, true, '73.3% is admitted'],
    [7, 10, false, 'exactly 70% is not admitted'],
    [8, 10, true, '80% is admitted'],
    [70, 100, false, 'exactly 70% is not admitted'],
    [71, 100, true, '71% is admitted'],
    [0, 0, false, 'no questions: nothing to admit on'],
    [30, 30, true, 'all correct'],
    [0, 30, false, 'none correct'],
    [7001, 10_000, true, '70.01% is admitted (no float rounding to 70)'],
    [7000, 10_000, false, 'exactly 70.00% is not admitted'],
    [31, 30, false, 'more correct than total is malformed'],
    [-1, 10, false, 'negative correct is malformed'],
  ];
  it.each(table)('rule 15: %i/%i → %s (%s)', (correct, total, admitted) => {
    expect(isAdmitted(correct, total)).toBe(admitted);
  });
});

describe('gradeExam', () => {
  const questions: KeyedQuestion[] = [
    { id: 'q1', correctOptionIds: ['a'] },
    { id: 'q2', correctOptionIds: ['b'] },
    { id: 'q3', correctOptionIds: ['a', 'c'] },
    { id: 'q4', correctOptionIds: ['d'] },
    { id: 'q5', correctOptionIds: ['b', 'c', 'd'] },
  ];

  it('counts only exact answers and leaves unanswered questions wrong', () => {
    const answers = new Map<string, string[]>([
      ['q1', ['a']], // correct
      ['q2', ['c']], // wrong
      ['q3', ['c', 'a']], // correct, order-insensitive
      // q4 unanswered
      ['q5', ['b', 'c']], // one missing
    ]);
    expect(gradeExam(questions, answers)).toEqual({ correct: 2, total: 5, percent: 40, admitted: false });
  });

  it('rule 15: 4 of 5 (80%) is admitted', () => {
    const answers = new Map<string, string[]>([
      ['q1', ['a']],
      ['q2', ['b']],
      ['q3', ['a', 'c']],
      ['q4', ['d']],
      ['q5', ['b', 'c', 'd', 'a']], // extra wrong option
    ]);
    expect(gradeExam(questions, answers)).toEqual({ correct: 4, total: 5, percent: 80, admitted: true });
  });

  it('answers to questions outside the set are ignored', () => {
    const answers = new Map<string, string[]>([
      ['q9', ['a']],
      ['q1', ['a']],
    ]);
    expect(gradeExam(questions, answers)).toMatchObject({ correct: 1, total: 5 });
  });

  it('rounds the display percentage to one decimal, but decides on exact integers (rule 15: 21/30 exactly 70%)', () => {
    const thirty: KeyedQuestion[] = Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, correctOptionIds: ['a'] }));
    const answersFor = (n: number) => new Map(thirty.slice(0, n).map((q) => [q.id, ['a']] as const));
    expect(gradeExam(thirty, answersFor(21))).toEqual({ correct: 21, total: 30, percent: 70, admitted: false });
    expect(gradeExam(thirty, answersFor(22))).toEqual({ correct: 22, total: 30, percent: 73.3, admitted: true });
    expect(gradeExam(thirty, answersFor(20)).percent).toBe(66.7);
  });

  it('an empty question set scores 0% and is not admitted', () => {
    expect(gradeExam([], new Map())).toEqual({ correct: 0, total: 0, percent: 0, admitted: false });
  });
});
