/** The demo programme's bank as the seed schema checks it: topics on every question (rule 19), Appendix 2 codes, recommendations on it. */
import { describe, expect, it } from 'vitest';
import { programmeSeedSchema } from '../../shared/programme';
import { recommendationsFor, wrongQuestionIds } from '../../shared/recommendations';
import { demoProgramme } from './demo-programme';

const bank = programmeSeedSchema.parse(demoProgramme).questions;

describe('the demo bank has a topic on every question', () => {
  it('32 questions in 7 topics, each named in kk, ru and en', () => {
    expect(bank).toHaveLength(32);
    const topics = new Map(bank.map((q) => [q.topic.id, q.topic.name]));
    expect(topics.size).toBe(7);
    for (const name of topics.values()) {
      expect(name.kk).not.toMatch(/[A-Za-z]/);
      expect(name.ru).not.toMatch(/[A-Za-z]/);
      expect(name.en).toMatch(/[A-Za-z]/);
    }
  });

  it('the seed schema refuses a question without a topic, and one topic id with two names', () => {
    const withoutTopic = { ...demoProgramme, questions: demoProgramme.questions.map((q, i) => (i === 3 ? { ...q, topic: undefined } : q)) };
    expect(programmeSeedSchema.safeParse(withoutTopic).success).toBe(false);
    const renamed = {
      ...demoProgramme,
      questions: demoProgramme.questions.map((q, i) =>
        i === 3 ? { ...q, topic: { ...q.topic, name: { ...q.topic.name, ru: 'Другое имя' } } } : q,
      ),
    };
    const r = programmeSeedSchema.safeParse(renamed);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/has another name/);
  });

  it('an occupation code is 8 digits or "0" (Appendix 2)', () => {
    for (const [code, ok] of [
      ['74110001', true],
      ['0', true],
      ['7411', false],
      ['00', false],
      ['741100011', false],
    ] as const) {
      expect(programmeSeedSchema.safeParse({ ...demoProgramme, occupationCode: code }).success, code).toBe(ok);
    }
  });
});

describe('recommendations on the demo bank', () => {
  it('on the demo bank: computed from answers, never showing a question, an option or the key', () => {
    const asked = bank.slice(0, 30); // an exam draws 30 of the 32
    const answers = new Map<string, string[]>();
    for (const q of asked) {
      const key = q.options.filter((o) => o.correct).map((o) => o.id);
      // Right on the first 20, wrong or incomplete on 8, two unanswered.
      const index = asked.indexOf(q);
      if (index < 20) answers.set(q.id, key);
      else if (index < 28) answers.set(q.id, q.kind === 'single' ? [q.options.find((o) => !o.correct)!.id] : key.slice(1));
    }
    const wrong = wrongQuestionIds(asked, answers);
    expect(wrong).toEqual(asked.slice(20).map((q) => q.id));
    for (const language of ['kk', 'ru', 'en'] as const) {
      const recs = recommendationsFor(asked, wrong, language);
      expect(recs.reduce((n, r) => n + r.wrong, 0)).toBe(10);
      for (let i = 1; i < recs.length; i++) expect(recs[i - 1]!.wrong).toBeGreaterThanOrEqual(recs[i]!.wrong);
      const out = JSON.stringify(recs);
      for (const q of asked) {
        expect(out).not.toContain(q.text[language]);
        for (const o of q.options) if (o.text[language].length > 6) expect(out).not.toContain(o.text[language]);
      }
      expect(out).not.toMatch(/"(correct|options|id)"/);
    }
  });
});
