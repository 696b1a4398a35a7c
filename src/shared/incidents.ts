/**
 * The incident catalogue (DESIGN §3): every kind of thing online proctoring can settle on,
 * with the rule it serves. Codes are stable: they are stored in the event log and named in
 * the violation act. No zod here, so the candidate bundle can import it.
 */

export const INCIDENT_TYPES = [
  // rule 2.8.2 multi-face recognition, rule 2.8.6 identification of the person
  'face.absent',
  'face.multiple',
  'face.mismatch',
  // rule 2.8.7 head and body movement
  'head.away',
  'body.left',
  'body.motion',
  // rule 2.8.1 noise level
  'audio.noise',
  'audio.speech',
  'audio.muted',
  // rule 12 forbidden items
  'object.phone',
  'object.book',
  'object.laptop',
  'object.headphones',
  'object.remote',
  'object.keyboard',
  // the browser environment (rule 2.8.4 logging of suspicious events)
  'env.focus_lost',
  'env.tab_hidden',
  'env.fullscreen_exit',
  'env.second_screen',
  'env.virtual_camera',
  'env.clipboard',
  // technical: never violations (rule 11)
  'tech.camera_lost',
  'tech.mic_lost',
  'tech.offline',
  'tech.low_fps',
  'tech.model_failed',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export type IncidentGroup = 'face' | 'head' | 'body' | 'audio' | 'object' | 'env' | 'tech';

export interface IncidentInfo {
  group: IncidentGroup;
  /** The rule (docs/rules.md numbering) this incident serves, named in warnings and in the act. */
  rule: string;
  /** Technical incidents are never violations, whatever a programme says (rule 11). */
  technical: boolean;
}

function info(group: IncidentGroup, rule: string): IncidentInfo {
  return { group, rule, technical: group === 'tech' };
}

export const INCIDENTS: Record<IncidentType, IncidentInfo> = {
  'face.absent': info('face', '2.8.6'),
  'face.multiple': info('face', '2.8.2'),
  'face.mismatch': info('face', '2.8.6'),
  'head.away': info('head', '2.8.7'),
  'body.left': info('body', '2.8.7'),
  'body.motion': info('body', '2.8.7'),
  'audio.noise': info('audio', '2.8.1'),
  'audio.speech': info('audio', '2.8.1'),
  'audio.muted': info('audio', '2.8.1'),
  'object.phone': info('object', '12'),
  'object.book': info('object', '12'),
  'object.laptop': info('object', '12'),
  'object.headphones': info('object', '12'),
  'object.remote': info('object', '12'),
  'object.keyboard': info('object', '12'),
  'env.focus_lost': info('env', '2.8.4'),
  'env.tab_hidden': info('env', '2.8.4'),
  'env.fullscreen_exit': info('env', '2.8.4'),
  'env.second_screen': info('env', '12'),
  'env.virtual_camera': info('env', '2.8.6'),
  'env.clipboard': info('env', '12'),
  'tech.camera_lost': info('tech', '11'),
  'tech.mic_lost': info('tech', '11'),
  'tech.offline': info('tech', '11'),
  'tech.low_fps': info('tech', '11'),
  'tech.model_failed': info('tech', '11'),
};

export function isIncidentType(value: unknown): value is IncidentType {
  return typeof value === 'string' && (INCIDENT_TYPES as readonly string[]).includes(value);
}

/** COCO classes (0-based, as centernet numbers them) that rule 12 forbids, by incident. */
export const OBJECT_CLASSES = {
  'object.phone': 67, // cell phone
  'object.book': 73,
  'object.laptop': 63,
  'object.remote': 65,
  'object.keyboard': 66,
} as const satisfies Partial<Record<IncidentType, number>>;
export type ObjectIncident = keyof typeof OBJECT_CLASSES;

/**
 * A settled incident as the browser reports it: the condition held past its persistence window.
 * Times are ms since the epoch on the browser's clock; `end` is null while it is still going on.
 */
export interface Incident {
  /** Random id, the same in the opening and closing reports and in the evidence upload. */
  id: string;
  type: IncidentType;
  start: number;
  end: number | null;
  /** 0..1: how sure the detectors were (mean over the window). */
  confidence: number;
  /** The measured values behind it (e.g. { faces: 2 } or { yawDeg: 41 }), for the act and the reviewer. */
  detail: Record<string, number | string | boolean>;
}

/** The incident type named by an incident report or a policy log entry (null for other entries). */
export function incidentTypeOf(data: unknown): IncidentType | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as { incident?: { type?: unknown }; type?: unknown };
  const type = d.incident?.type ?? d.type;
  return isIncidentType(type) ? type : null;
}
