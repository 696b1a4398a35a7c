/**
 * The runtime check of accommodations at the centre's boundary (the admin's PUT). Kept apart
 * from accommodations.ts so the candidate's bundle, which judges rule 13 with them, carries no zod.
 */
import { z } from 'zod';
import {
  ACCOMMODATION_DOCUMENT_MAX_BYTES,
  ACCOMMODATION_REASON_MAX,
  ASSISTANT_NAME_MAX,
  BREAKS_MAX,
  EXTRA_TIME_MAX,
  type Accommodations,
} from './accommodations';

export const accommodationsSchema: z.ZodType<Accommodations> = z
  .object({
    extraTime: z
      .discriminatedUnion('unit', [
        z.object({ unit: z.literal('percent'), value: z.number().int().min(1).max(EXTRA_TIME_MAX.percent) }).strict(),
        z.object({ unit: z.literal('minutes'), value: z.number().int().min(1).max(EXTRA_TIME_MAX.minutes) }).strict(),
      ])
      .nullable(),
    screenReader: z.boolean(),
    /** Who assists (a reader, a sign-language interpreter): their name goes into the log and the briefing. */
    assistant: z
      .object({ name: z.string().trim().min(1).max(ASSISTANT_NAME_MAX) })
      .strict()
      .nullable(),
    speech: z.boolean(),
    largeText: z.boolean(),
    highContrast: z.boolean(),
    breaks: z
      .object({ count: z.number().int().min(1).max(BREAKS_MAX.count), minutes: z.number().int().min(1).max(BREAKS_MAX.minutes) })
      .strict()
      .nullable(),
  })
  .strict();

/** PUT /api/admin/candidates/:id/accommodations: what, and why (a free-text reason and an optional document, base64). */
export const accommodationsBodySchema = z
  .object({
    accommodations: accommodationsSchema,
    reason: z.string().trim().min(1).max(ACCOMMODATION_REASON_MAX),
    document: z
      .object({
        name: z.string().trim().min(1).max(120),
        data: z
          .string()
          .min(1)
          .max(Math.ceil(ACCOMMODATION_DOCUMENT_MAX_BYTES / 3) * 4)
          .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not_base64'),
      })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();
export type AccommodationsBody = z.infer<typeof accommodationsBodySchema>;
