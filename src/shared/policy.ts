/**
 * Rule 13 as a pure function: on the first recorded violation the candidate is warned; on a
 * repeat the exam ends automatically. Technical incidents are never violations: one that goes
 * on for the programme's technical-fault time suspends the exam for rescheduling (rule 11).
 *
 * The browser and the centre run this same function over the same incidents, so the centre
 * records the outcome even if the browser goes away. Decisions depend only on the incidents'
 * own times (the browser clock that observed them), never on who evaluates them when, so both
 * sides reach the same answer.
 */
import { INCIDENTS, type Incident } from './incidents';
import { isViolation, type ProctoringConfig } from './proctoring-config';

export interface PolicyState {
  outcome: 'active' | 'terminated' | 'suspended';
  /** The incident that earned the warning, and when it settled (its start plus its window). */
  warning: { incidentId: string; type: Incident['type']; at: number } | null;
  /** Ids already judged, so a repeated report (open, then close, then a resend) is judged once. */
  judged: readonly string[];
}

export const INITIAL_POLICY: PolicyState = { outcome: 'active', warning: null, judged: [] };

export type PolicyDecision =
  | { kind: 'none'; reason: 'already_judged' | 'finished' | 'observe' | 'not_violation' | 'grace' | 'ongoing' }
  | { kind: 'warn'; incident: Incident; rule: '13' }
  | { kind: 'terminate'; incident: Incident; warningIncidentId: string; rule: '13' }
  | { kind: 'suspend'; incident: Incident; rule: '11' };

/** When an incident settled: its condition began at `start` and had to hold for its window. */
export function settledAt(incident: Incident, config: ProctoringConfig): number {
  return incident.start + config.incidents[incident.type].afterSec * 1000;
}

/**
 * Judge one incident report (a new incident, its end, or a periodic re-check of one still going
 * on, with `now` on the same clock as the incident's times).
 */
export function applyPolicy(
  state: PolicyState,
  incident: Incident,
  config: ProctoringConfig,
  now: number,
): { state: PolicyState; decision: PolicyDecision } {
  if (state.outcome !== 'active') return { state, decision: { kind: 'none', reason: 'finished' } };
  if (config.observe) return { state, decision: { kind: 'none', reason: 'observe' } };

  if (INCIDENTS[incident.type].technical) {
    const lastedMs = (incident.end ?? Math.max(now, incident.start)) - incident.start;
    if (lastedMs >= config.technicalFaultSec * 1000) {
      return { state: { ...state, outcome: 'suspended' }, decision: { kind: 'suspend', incident, rule: '11' } };
    }
    return { state, decision: { kind: 'none', reason: 'ongoing' } };
  }

  if (state.judged.includes(incident.id)) return { state, decision: { kind: 'none', reason: 'already_judged' } };
  const judged = [...state.judged, incident.id];
  if (!isViolation(config, incident.type)) return { state: { ...state, judged }, decision: { kind: 'none', reason: 'not_violation' } };

  if (!state.warning) {
    const warning = { incidentId: incident.id, type: incident.type, at: settledAt(incident, config) };
    return { state: { ...state, judged, warning }, decision: { kind: 'warn', incident, rule: '13' } };
  }
  // Time to read the warning and fix its cause: a violation that was already under way then is logged, not counted.
  if (incident.start < state.warning.at + config.warningGraceSec * 1000) {
    return { state: { ...state, judged }, decision: { kind: 'none', reason: 'grace' } };
  }
  return {
    state: { ...state, judged, outcome: 'terminated' },
    decision: { kind: 'terminate', incident, warningIncidentId: state.warning.incidentId, rule: '13' },
  };
}
