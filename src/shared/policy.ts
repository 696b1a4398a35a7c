/**
 * Rule 13 as a pure function: on the first recorded violation the candidate is warned; on a
 * repeat the exam ends automatically. Technical incidents are never violations: one that goes
 * on for the programme's technical-fault time suspends the exam for rescheduling (rule 11).
 *
 * The browser and the centre run this same function over the same incidents, so the centre
 * records the outcome even if the browser goes away. Decisions on closed incidents depend only
 * on the incidents' own times (the browser clock that observed them); for an incident still
 * going on, `now` (on that clock) decides when a watched one has lasted too long, so both sides
 * reach the same outcome, the browser possibly a moment earlier.
 */
import { INCIDENTS, type Incident, type IncidentType } from './incidents';
// Type only: the zod schema stays on the server and out of the candidate's bundle.
import type { ProctoringConfig } from './proctoring-config';

export interface PolicyState {
  outcome: 'active' | 'terminated' | 'suspended';
  /** The incident that earned the warning, and when it settled (its start plus its window). */
  warning: { incidentId: string; type: Incident['type']; at: number } | null;
  /** Ids already judged, so a repeated report (open, then close, then a resend) is judged once. */
  judged: readonly string[];
  /**
   * Violations still watched after judging: the warned one and any that began within the grace.
   * If one of them goes on past the grace, its cause was not removed: that is the repeat.
   */
  pending: readonly string[];
  /**
   * Incidents a proctor dismissed: they never count for rule 13. A warning they caused
   * is withdrawn, so the next violation warns again instead of ending the exam. Missing in states
   * stored before proctors could dismiss incidents (read as none).
   */
  dismissed?: readonly string[];
}

export const INITIAL_POLICY: PolicyState = { outcome: 'active', warning: null, judged: [], pending: [], dismissed: [] };

export type PolicyDecision =
  | { kind: 'none'; reason: 'already_judged' | 'finished' | 'observe' | 'not_violation' | 'grace' | 'ongoing' | 'dismissed' }
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
  if (state.dismissed?.includes(incident.id)) return { state, decision: { kind: 'none', reason: 'dismissed' } };

  if (INCIDENTS[incident.type].technical) {
    const lastedMs = (incident.end ?? Math.max(now, incident.start)) - incident.start;
    if (lastedMs >= config.technicalFaultSec * 1000) {
      return { state: { ...state, outcome: 'suspended' }, decision: { kind: 'suspend', incident, rule: '11' } };
    }
    return { state, decision: { kind: 'none', reason: 'ongoing' } };
  }

  const terminate = (next: PolicyState, warningIncidentId: string) => ({
    state: { ...next, outcome: 'terminated' as const, pending: [] },
    decision: { kind: 'terminate' as const, incident, warningIncidentId, rule: '13' as const },
  });
  // Time to read the warning and fix its cause; a watched violation that outlasts it is the repeat.
  const graceEnd = state.warning ? state.warning.at + config.warningGraceSec * 1000 : Infinity;
  const lastsUntil = incident.end ?? Math.max(now, incident.start);

  if (state.judged.includes(incident.id)) {
    if (state.warning && state.pending.includes(incident.id)) {
      if (lastsUntil >= graceEnd) return terminate(state, state.warning.incidentId);
      if (incident.end !== null)
        return {
          state: { ...state, pending: state.pending.filter((id) => id !== incident.id) },
          decision: { kind: 'none', reason: 'already_judged' },
        };
    }
    return { state, decision: { kind: 'none', reason: 'already_judged' } };
  }
  const judged = [...state.judged, incident.id];
  if (!isViolation(config, incident.type)) return { state: { ...state, judged }, decision: { kind: 'none', reason: 'not_violation' } };

  if (!state.warning) {
    const warning = { incidentId: incident.id, type: incident.type, at: settledAt(incident, config) };
    const pending = incident.end === null ? [incident.id] : [];
    return { state: { ...state, judged, warning, pending }, decision: { kind: 'warn', incident, rule: '13' } };
  }
  if (incident.start < graceEnd) {
    if (lastsUntil >= graceEnd) return terminate({ ...state, judged }, state.warning.incidentId);
    const pending = incident.end === null ? [...state.pending, incident.id] : state.pending;
    return { state: { ...state, judged, pending }, decision: { kind: 'none', reason: 'grace' } };
  }
  return terminate({ ...state, judged }, state.warning.incidentId);
}

/** Whether the policy still watches this incident while it goes on (re-judge it periodically with `now`). */
export function isWatched(state: PolicyState, incident: Incident): boolean {
  return INCIDENTS[incident.type].technical || state.pending.includes(incident.id);
}

/** Whether an incident of this type counts towards rule 13 under these settings. */
export function isViolation(config: ProctoringConfig, type: IncidentType): boolean {
  if (config.observe || INCIDENTS[type].technical) return false;
  if (INCIDENTS[type].group === 'object' && config.objects.allow.includes(type)) return false;
  return config.incidents[type].violation;
}

/**
 * A proctor dismissed an incident: it never counts for rule 13 from now on. If it had
 * earned the warning, the warning is withdrawn (the next violation warns again, never ends the
 * exam), and what was pending under that warning is let go with it.
 */
export function dismissIncident(state: PolicyState, incidentId: string): { state: PolicyState; warningWithdrawn: boolean } {
  const dismissed = [...new Set([...(state.dismissed ?? []), incidentId])];
  const judged = state.judged.includes(incidentId) ? state.judged : [...state.judged, incidentId];
  const warningWithdrawn = state.warning?.incidentId === incidentId;
  return {
    state: {
      ...state,
      judged,
      dismissed,
      warning: warningWithdrawn ? null : state.warning,
      pending: warningWithdrawn ? [] : state.pending.filter((id) => id !== incidentId),
    },
    warningWithdrawn,
  };
}

/**
 * A proctor's warning counts exactly like an automatic one: it takes the one warning
 * of rule 13, so the next violation ends the exam. Refused (null) when the exam is not active or
 * the candidate was already warned (then the next step is ending the exam, which a person does
 * with its own action).
 */
export function proctorWarning(state: PolicyState, incidentId: string, type: Incident['type'], now: number): PolicyState | null {
  if (state.outcome !== 'active' || state.warning) return null;
  return { ...state, judged: [...state.judged, incidentId], warning: { incidentId, type, at: now }, pending: [] };
}

/** Back to active after a person reinstated the exam: the outcome only; warnings and dismissals stand. */
export function reinstatePolicy(state: PolicyState): PolicyState {
  return { ...state, outcome: 'active', pending: [] };
}

/**
 * An incident that began during the candidate's break (their leaving the desk is the break)
 * is logged and never judged: marked judged now, so its later reports are 'already_judged' too.
 */
export function excuseIncident(state: PolicyState, incidentId: string): PolicyState {
  return state.judged.includes(incidentId) ? state : { ...state, judged: [...state.judged, incidentId] };
}
