/**
 * The programme form's logic, pure. The form edits a whole ProctoringConfig; what is stored is
 * only what differs from DEFAULT_PROCTORING (so a later change of a default reaches programmes that never
 * set it), checked by the same schema as the centre (proctoringConfigSchema via resolveProctoring).
 */
import { INCIDENT_TYPES, INCIDENTS, type IncidentType } from '../shared/incidents';
import { DEFAULT_PROCTORING, proctoringConfigSchema, type ProctoringConfig, type ProctoringOverrides } from '../shared/proctoring-config';

/** Plain settings shown one per field: a path into the config and its kind. */
export const SCALAR_SETTINGS = [
  { path: 'steps.systemCheck', kind: 'bool' },
  { path: 'steps.identity', kind: 'bool' },
  { path: 'steps.roomScan', kind: 'bool' },
  { path: 'observe', kind: 'bool' },
  { path: 'warningGraceSec', kind: 'number', step: 1 },
  { path: 'technicalFaultSec', kind: 'number', step: 1 },
  { path: 'offlineFaultSec', kind: 'number', step: 1 },
  { path: 'identityCheckSec', kind: 'number', step: 1 },
  { path: 'identityTurnSec', kind: 'number', step: 1 },
  { path: 'head.maxYawDeg', kind: 'number', step: 1 },
  { path: 'head.maxPitchDeg', kind: 'number', step: 1 },
  { path: 'audio.noiseDbfs', kind: 'number', step: 1 },
  { path: 'audio.speechProbability', kind: 'number', step: 0.05 },
  { path: 'face.minScore', kind: 'number', step: 0.05 },
  { path: 'objects.minScore', kind: 'number', step: 0.05 },
  { path: 'objects.intervalSec', kind: 'number', step: 0.5 },
  { path: 'analysisFps', kind: 'number', step: 1 },
  { path: 'minAnalysedFps', kind: 'number', step: 0.5 },
  { path: 'recordingKbps', kind: 'number', step: 10 },
  { path: 'recordingChunkSec', kind: 'number', step: 1 },
] as const;
export type ScalarPath = (typeof SCALAR_SETTINGS)[number]['path'];

export const OBJECT_TYPES = INCIDENT_TYPES.filter((t) => INCIDENTS[t].group === 'object');

/** The path's keys; incident types contain a dot ("face.absent"): incidents.<group>.<name>.<field>. */
function keysOf(path: string): string[] {
  const keys = path.split('.');
  return keys[0] === 'incidents' ? ['incidents', `${keys[1]}.${keys[2]}`, ...keys.slice(3)] : keys;
}

export function getPath(config: ProctoringConfig, path: string): unknown {
  return keysOf(path).reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), config);
}

/** A copy of the config with one value set (paths of SCALAR_SETTINGS or incidents.<type>.<field>). */
export function setPath(config: ProctoringConfig, path: string, value: unknown): ProctoringConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  const parts = keysOf(path);
  let node = copy;
  for (const k of parts.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[parts.at(-1)!] = value;
  return copy as unknown as ProctoringConfig;
}

/** Only what differs from the defaults, in the shape the centre's PUT takes. */
export function overridesFrom(config: ProctoringConfig): ProctoringOverrides {
  const d = DEFAULT_PROCTORING;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(d) as (keyof ProctoringConfig)[]) {
    const value = config[key];
    const base = d[key];
    if (key === 'incidents') {
      const changed: Record<string, Record<string, unknown>> = {};
      for (const type of INCIDENT_TYPES) {
        const rule = config.incidents[type];
        const def = d.incidents[type];
        const diff = Object.fromEntries(Object.entries(rule).filter(([k, v]) => def[k as keyof typeof def] !== v));
        if (Object.keys(diff).length) changed[type] = diff;
      }
      if (Object.keys(changed).length) out.incidents = changed;
    } else if (key === 'objects') {
      const o = value as ProctoringConfig['objects'];
      const diff: Record<string, unknown> = {};
      if (o.intervalSec !== d.objects.intervalSec) diff.intervalSec = o.intervalSec;
      if (o.minScore !== d.objects.minScore) diff.minScore = o.minScore;
      if ([...o.allow].sort().join() !== [...d.objects.allow].sort().join()) diff.allow = [...o.allow].sort();
      if (Object.keys(diff).length) out.objects = diff;
    } else if (typeof base === 'object' && base !== null) {
      const diff = Object.fromEntries(Object.entries(value as object).filter(([k, v]) => (base as Record<string, unknown>)[k] !== v));
      if (Object.keys(diff).length) out[key] = diff;
    } else if (value !== base) out[key] = value;
  }
  return out as ProctoringOverrides;
}

export interface SettingChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** Every setting that differs between two configs, by path (what the admin confirms before saving). */
export function settingsDiff(before: ProctoringConfig, after: ProctoringConfig): SettingChange[] {
  const out: SettingChange[] = [];
  for (const { path } of SCALAR_SETTINGS) {
    const from = getPath(before, path);
    const to = getPath(after, path);
    if (from !== to) out.push({ path, from, to });
  }
  for (const { path } of [
    { path: 'body.minKeypointScore' },
    { path: 'body.motionPerSec' },
    { path: 'body.everyNthFrame' },
    { path: 'audio.mutedDbfs' },
  ]) {
    if (getPath(before, path) !== getPath(after, path)) out.push({ path, from: getPath(before, path), to: getPath(after, path) });
  }
  const allowBefore = [...before.objects.allow].sort().join(', ');
  const allowAfter = [...after.objects.allow].sort().join(', ');
  if (allowBefore !== allowAfter) out.push({ path: 'objects.allow', from: before.objects.allow, to: after.objects.allow });
  for (const type of INCIDENT_TYPES) {
    for (const field of ['afterSec', 'clearSec', 'violation'] as const) {
      const from = before.incidents[type][field];
      const to = after.incidents[type][field];
      if (from !== to) out.push({ path: `incidents.${type}.${field}`, from, to });
    }
  }
  return out;
}

/** The form's values checked with the centre's own schema; the paths of the refused settings. */
export function invalidPaths(config: ProctoringConfig): string[] {
  const result = proctoringConfigSchema.safeParse(config);
  if (result.success) return [];
  return result.error.issues.map((i) => i.path.join('.'));
}

export const isTechnical = (type: IncidentType): boolean => INCIDENTS[type].technical;
