/**
 * Qualification programme (rule 2): what the exam is held against. The programme
 * decides the profession and level, the exam length and the question bank.
 * Questions carry their answer key only on the server side: the candidate-facing
 * shape (CandidateQuestion in protocol.ts) has no `correct` flags.
 * Every question has a topic (rule 19): a failed candidate's recommendations name the topics
 * of the questions answered wrongly (recommendations.ts), never the questions or their key.
 */
import { z } from 'zod';
import { proctoringOverridesSchema, resolveProctoring } from './proctoring-config';

export type { ExamLanguage, UiLanguage } from './languages';

export const localisedTextSchema = z.object({
  kk: z.string().min(1),
  ru: z.string().min(1),
  en: z.string().min(1),
});
export type LocalisedText = z.infer<typeof localisedTextSchema>;

export const seedOptionSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  text: localisedTextSchema,
  correct: z.boolean(),
});

/** A topic of the bank: an id and its name in kk / ru (and en for staff). */
export const questionTopicSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: localisedTextSchema,
});
export type QuestionTopic = z.infer<typeof questionTopicSchema>;

/**
 * One item of the programme's technological map (rule 16): what the practical task is assessed
 * against, each item passed or failed by the commission. Text in kk / ru (and en for staff).
 */
export const techMapItemSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    text: z
      .object({ kk: z.string().trim().min(1).max(500), ru: z.string().trim().min(1).max(500), en: z.string().trim().min(1).max(500) })
      .strict(),
  })
  .strict();
export type TechMapItem = z.infer<typeof techMapItemSchema>;

/** The map: at most 50 items, each id once. */
export const technologicalMapSchema = z
  .array(techMapItemSchema)
  .max(50)
  .refine((items) => new Set(items.map((i) => i.id)).size === items.length, {
    message: 'duplicate_item',
  });

export const seedQuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    kind: z.enum(['single', 'multiple']),
    topic: questionTopicSchema,
    text: localisedTextSchema,
    options: z.array(seedOptionSchema).min(2).max(8),
  })
  .superRefine((q, ctx) => {
    const correct = q.options.filter((o) => o.correct).length;
    if (q.kind === 'single' && correct !== 1)
      ctx.addIssue({ code: 'custom', message: `${q.id}: single-choice needs exactly one correct option` });
    if (q.kind === 'multiple' && correct < 2)
      ctx.addIssue({ code: 'custom', message: `${q.id}: multiple-choice needs at least two correct options` });
    if (new Set(q.options.map((o) => o.id)).size !== q.options.length)
      ctx.addIssue({ code: 'custom', message: `${q.id}: duplicate option ids` });
  });
export type SeedQuestion = z.infer<typeof seedQuestionSchema>;

export const programmeSeedSchema = z.object({
  code: z.string().regex(/^[A-Z0-9-]{2,32}$/),
  profession: localisedTextSchema,
  /** OKED sub-class, 5 digits: level 1 of the certificate number (Appendix 2). */
  oked: z.string().regex(/^\d{5}$/),
  /** National classifier of occupations code, 8 digits, or "0" where it has none: level 2 (Appendix 2, document-number.ts). */
  occupationCode: z.string().regex(/^(0|[0-9]{8})$/),
  nqfLevel: z.number().int().min(1).max(8),
  durationMinutes: z.number().int().min(1).max(600),
  /** How many questions one exam draws from the bank (all of them when equal to the bank size). */
  questionsPerExam: z.number().int().min(1),
  /** Rule 16: the practical task's technological map (empty: none yet, the practical stage cannot be recorded). */
  technologicalMap: technologicalMapSchema.default([]),
  questions: z
    .array(seedQuestionSchema)
    .min(1)
    .superRefine((questions, ctx) => {
      // One topic id, one name: recommendations group by id and show its name.
      const names = new Map<string, string>();
      for (const q of questions) {
        const name = JSON.stringify(q.topic.name);
        const before = names.get(q.topic.id);
        if (before !== undefined && before !== name)
          ctx.addIssue({ code: 'custom', message: `${q.id}: topic ${q.topic.id} has another name than in an earlier question` });
        names.set(q.topic.id, name);
      }
    }),
  /** Proctoring settings over the defaults (proctoring-config.ts); validated in full here. */
  proctoring: proctoringOverridesSchema.default({}).superRefine((o, ctx) => {
    try {
      resolveProctoring(o);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  }),
});
export type ProgrammeSeed = z.infer<typeof programmeSeedSchema>;
