/**
 * The reviewer's verdict on a session, what the violation act (rule 14) is drawn up from.
 * "No violation"; "violation confirmed" with the incidents it rests on; or an automatic termination
 * overturned (rule 11: the session goes to the centre for rescheduling). One schema for the route and the page.
 */
import { z } from 'zod';
import type { StaffActor } from './control-room';
import type { VerdictKind } from './credibility';

export const VERDICT_KINDS = ['no_violation', 'violation_confirmed', 'termination_overturned'] as const satisfies readonly VerdictKind[];
const incidentId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const verdictSchema = z
  .object({
    kind: z.enum(VERDICT_KINDS),
    incidentIds: z.array(incidentId).max(200).default([]),
    comment: z.string().trim().min(1).max(2000),
  })
  .strict()
  .refine((v) => v.kind !== 'violation_confirmed' || v.incidentIds.length > 0, {
    message: 'a confirmed violation names the incidents it rests on',
    path: ['incidentIds'],
  });
export type VerdictInput = z.input<typeof verdictSchema>;

export interface SessionVerdict {
  kind: VerdictKind;
  incidentIds: string[];
  comment: string;
  by: StaffActor;
  at: number;
}
