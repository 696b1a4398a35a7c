/**
 * The reviewers' sessions list, one contract for the browser and the centre. The centre
 * filters, sorts and pages in SQL (src/server/store/session-list-query.ts); the query string is
 * validated here (zod) on both sides, so a link with a list's filters in it is checked like a request.
 */
import { z } from 'zod';
import type { SessionStatus } from './limits';

export const SESSION_STATUSES = [
  'issued',
  'in_progress',
  'submitted',
  'terminated',
  'suspended',
  'expired',
] as const satisfies readonly SessionStatus[];

/**
 * What came of a session, from its status and result (rule 15: admitted with more than 70%): ended by the
 * proctoring (rule 13) or suspended for a fault (rule 11) first, whatever score it had; 'none' while no result exists.
 */
export const SESSION_OUTCOMES = ['admitted', 'not_admitted', 'terminated', 'suspended', 'none'] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

/** The reviewer's verdict (the session review page writes it); 'none' filters the sessions nobody has judged yet. */
export const SESSION_VERDICTS = ['no_violation', 'violation_confirmed', 'termination_overturned'] as const;
export type SessionVerdictKind = (typeof SESSION_VERDICTS)[number];

export const SESSION_LIST_SORTS = ['date', 'candidate', 'programme', 'status', 'outcome', 'incidents'] as const;
export type SessionListSort = (typeof SESSION_LIST_SORTS)[number];

export const SESSION_PAGE_SIZES = [25, 50, 100] as const;
export const MAX_SEARCH_LENGTH = 100;

const dayMs = z.coerce.number().int().min(0).max(8_640_000_000_000_000);

export const sessionListQuerySchema = z
  .object({
    /** From this moment (ms since epoch, inclusive): the start of a day in the centre's time zone, as the browser computed it. */
    from: dayMs.optional(),
    /** Until this moment (ms since epoch, exclusive). */
    to: dayMs.optional(),
    programme: z.string().min(1).max(64).optional(),
    status: z.enum(SESSION_STATUSES).optional(),
    outcome: z.enum(SESSION_OUTCOMES).optional(),
    verdict: z.enum([...SESSION_VERDICTS, 'none']).optional(),
    /** A name (any part, any case), or an IIN (digits, from the start) for the roles that may see IINs. */
    q: z.string().trim().max(MAX_SEARCH_LENGTH).optional(),
    sort: z.enum(SESSION_LIST_SORTS).default('date'),
    dir: z.enum(['asc', 'desc']).default('desc'),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    size: z.coerce
      .number()
      .int()
      .refine((n) => (SESSION_PAGE_SIZES as readonly number[]).includes(n), 'size must be 25, 50 or 100')
      .default(25),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['to'] });

export type SessionListQuery = z.output<typeof sessionListQuerySchema>;
export type SessionListQueryInput = z.input<typeof sessionListQuerySchema>;

export interface SessionListRow {
  sessionId: string;
  /** When the exam started, or when the link was issued if it has not. */
  at: number;
  startedAt: number | null;
  finishedAt: number | null;
  candidateName: string;
  /** Only for the roles that may see personal numbers (reviewers and admins); absent for proctors. */
  iin?: string;
  programmeId: string;
  programmeCode: string;
  status: SessionStatus;
  outcome: SessionOutcome;
  /** Percent of right answers, when there is a result and the exam was not ended by the proctoring. */
  percent: number | null;
  incidentCount: number;
  /** 0–100, from src/shared/credibility.ts; null while the centre has no score for it. */
  credibility: number | null;
  verdict: SessionVerdictKind | null;
}

export interface SessionListPage {
  rows: SessionListRow[];
  total: number;
  page: number;
  size: number;
  /** For the programme filter. */
  programmes: Array<{ id: string; code: string }>;
  /** Whether this user's search also matches IINs. */
  iinSearch: boolean;
}

/** The query as URL parameters (defaults left out), for the request and for the page's own address. */
export function sessionListParams(query: Partial<SessionListQuery>): URLSearchParams {
  const params = new URLSearchParams();
  const defaults: Partial<SessionListQuery> = { sort: 'date', dir: 'desc', page: 1, size: 25 };
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '' || defaults[key as keyof SessionListQuery] === value) continue;
    params.set(key, String(value));
  }
  return params;
}

/** What a session's outcome is (the same rule as the centre's SQL column, for tests and the browser). */
export function sessionOutcome(status: SessionStatus, result: { admitted: boolean } | null): SessionOutcome {
  if (status === 'terminated') return 'terminated';
  if (status === 'suspended') return 'suspended';
  if (!result) return 'none';
  return result.admitted ? 'admitted' : 'not_admitted';
}
