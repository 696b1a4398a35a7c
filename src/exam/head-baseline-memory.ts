/**
 * The candidate's neutral head pose (taken in the identity step, head-baseline.ts) kept for this
 * tab's session (sessionStorage), so a reload during the exam judges head.away from it again
 * instead of from the camera's axis. Only this browser's own judgement uses it, and never beyond
 * half of each programme limit (appliedBaseline), so a value edited by hand moves nothing further
 * than a candidate posing during the identity step could; what cannot be read is no baseline.
 */
import type { HeadBaseline } from '../proctoring/head-baseline';

const key = (sessionId: string) => `tanu.headBaseline.${sessionId}`;
const angle = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 90;

export function rememberBaseline(
  storage: Pick<Storage, 'setItem' | 'removeItem'> | null,
  sessionId: string,
  baseline: HeadBaseline | null,
): void {
  try {
    if (baseline) storage?.setItem(key(sessionId), JSON.stringify({ yawDeg: baseline.yawDeg, pitchDeg: baseline.pitchDeg }));
    else storage?.removeItem(key(sessionId));
  } catch {
    // Storage refused (full, or off in this browser): after a reload head.away goes by the camera's axis, as before the identity step.
  }
}

export function recalledBaseline(storage: Pick<Storage, 'getItem'> | null, sessionId: string): HeadBaseline | null {
  try {
    const value = JSON.parse(storage?.getItem(key(sessionId)) ?? 'null') as Record<string, unknown> | null;
    return value && angle(value.yawDeg) && angle(value.pitchDeg) ? { yawDeg: value.yawDeg, pitchDeg: value.pitchDeg } : null;
  } catch {
    return null; // not JSON: no baseline
  }
}
