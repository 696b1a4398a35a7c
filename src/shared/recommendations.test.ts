/** Rule 19: recommendations from the topics of the questions answered wrongly (the demo bank's are in server/seed). */
import { describe, expect, it } from 'vitest';
import type { QuestionTopic } from './programme';
import { OTHER_TOPIC, RecommendationError, recommendationsFor, type TopicQuestion } from './recommendations';

const topic = (id: string): QuestionTopic => ({ id, name: { kk: `${id} кк`, ru: `${id} ру`, en: `${id} en` } });
const qs = (spec: Record<string, string[]>): TopicQuestion[] =>
  Object.entries(spec).flatMap(([t, ids]) => ids.map((id) => ({ id, topic: topic(t) })));

describe('recommendationsFor', () => {
  it('orders topics by wrong answers and says "N of M" in the language asked', () => {
    const questions = qs({ ohm: ['a1', 'a2', 'a3', 'a4'], rcd: ['b1', 'b2'], aid: ['c1', 'c2', 'c3'] });
    const ru = recommendationsFor(questions, ['b1', 'a1', 'a2', 'a3', 'c1'], 'ru');
    expect(ru.map((r) => [r.topicId, r.wrong, r.asked])).toEqual([
      ['ohm', 3, 4],
      ['rcd', 1, 2],
      ['aid', 1, 3],
    ]);
    expect(ru[0]).toEqual({
      topicId: 'ohm',
      topic: 'ohm ру',
      wrong: 3,
      asked: 4,
      text: 'По этой теме неверно отвечено на 3 из 4 вопросов.',
    });
    const kk = recommendationsFor(questions, ['b1', 'a1', 'a2', 'a3', 'c1'], 'kk');
    expect(kk[0]!.text).toBe('Осы тақырып бойынша 4 сұрақтың 3 сұрағына қате жауап берілді.');
    expect(kk.map((r) => r.topic)).toEqual(['ohm кк', 'rcd кк', 'aid кк']);
    expect(recommendationsFor(questions, ['c1'], 'en')[0]!.text).toBe('1 of 3 questions on this topic was answered wrongly.');
  });

  it('Russian takes the genitive singular after "из 1" and "из 21"', () => {
    expect(recommendationsFor(qs({ t: ['x'] }), ['x'], 'ru')[0]!.text).toBe('По этой теме неверно отвечено на 1 из 1 вопроса.');
    const ids = Array.from({ length: 21 }, (_, i) => `q${i}`);
    expect(recommendationsFor(qs({ t: ids }), ['q0', 'q1'], 'ru')[0]!.text).toBe('По этой теме неверно отвечено на 2 из 21 вопроса.');
    expect(recommendationsFor(qs({ t: ids.slice(0, 11) }), ['q0'], 'ru')[0]!.text).toBe(
      'По этой теме неверно отвечено на 1 из 11 вопросов.',
    );
  });

  it('ties go to the larger share wrong, then to the bank order', () => {
    const questions = qs({ big: ['a1', 'a2', 'a3', 'a4'], small: ['b1', 'b2'], third: ['c1', 'c2'] });
    expect(recommendationsFor(questions, ['a1', 'b1'], 'en').map((r) => r.topicId)).toEqual(['small', 'big']);
    expect(recommendationsFor(questions, ['c1', 'b1'], 'en').map((r) => r.topicId)).toEqual(['small', 'third']);
  });

  it('leaves out topics with nothing wrong, counts a repeated id once, and a perfect exam gives none', () => {
    const questions = qs({ a: ['a1', 'a2'], b: ['b1'] });
    expect(recommendationsFor(questions, ['a2', 'a2'], 'kk')).toHaveLength(1);
    expect(recommendationsFor(questions, ['a2', 'a2'], 'kk')[0]!.wrong).toBe(1);
    expect(recommendationsFor(questions, [], 'ru')).toEqual([]);
  });

  it('a wrong id that was not asked is an error, not silently dropped', () => {
    expect(() => recommendationsFor(qs({ a: ['a1'] }), ['zz'], 'ru')).toThrow(RecommendationError);
  });

  it('questions stored before topics existed are grouped as "other questions"', () => {
    const recs = recommendationsFor([{ id: 'old1' }, { id: 'old2' }, { id: 'n1', topic: topic('new') }], ['old1', 'n1'], 'ru');
    expect(recs.find((r) => r.topicId === null)).toMatchObject({ topic: OTHER_TOPIC.ru, wrong: 1, asked: 2 });
  });
});
