/** The credibility score of a stored session (the formula is in src/shared/credibility.ts). */
import { CREDIBILITY_EVENT_TYPES, credibilityOf, incidentsOfLog, type Credibility } from '../shared/credibility';
import type { SessionVerdict } from '../shared/review-verdict';
import type { Store } from './store/store';

/** The credibility score of a session from what the store holds (the log, people's decisions, the verdict). */
export async function sessionCredibility(store: Store, sessionId: string, verdict?: SessionVerdict | null): Promise<Credibility> {
  const [events, reviews, v] = await Promise.all([
    store.listEventsOfTypes(sessionId, CREDIBILITY_EVENT_TYPES),
    store.listIncidentReviews(sessionId),
    verdict === undefined ? store.getVerdict(sessionId) : verdict,
  ]);
  return credibilityOf({ incidents: incidentsOfLog(events), reviews, verdict: v && { kind: v.kind, incidentIds: v.incidentIds } });
}
