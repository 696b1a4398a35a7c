/**
 * A qualification programme's proctoring settings: thresholds, persistence windows, the
 * rule-12 allow-list and which incidents count as violations (rule 13). The defaults below
 * are the one place they are documented; a programme overrides any part of them, and the
 * result is validated when the programme is loaded (seed or store).
 *
 * The candidate's browser receives the resolved settings in the exam snapshot; it imports
 * only the type from here (zod stays out of the candidate bundle).
 */
import { z } from 'zod';
import { INCIDENT_TYPES, INCIDENTS, type IncidentType } from './incidents';

const seconds = (max: number) => z.number().min(0).max(max);

const incidentRuleSchema = z
  .object({
    /** The condition must hold this long before the incident is raised (kills single-frame flicker). */
    afterSec: seconds(600),
    /** ...and must be gone this long before it is considered over (hysteresis). */
    clearSec: seconds(600),
    /** Counts towards rule 13 (warning, then termination). Technical incidents never do. */
    violation: z.boolean(),
  })
  .strict();
export type IncidentRule = z.infer<typeof incidentRuleSchema>;

export const proctoringConfigSchema = z
  .object({
    /** Observe mode (evaluation, pilots): everything is detected and logged, nothing counts as a violation. */
    observe: z.boolean(),
    /** Frames analysed per second by the vision worker (the camera runs at 30). */
    analysisFps: z.number().min(1).max(30),
    face: z
      .object({
        /** Detector score above which a face counts. */
        minScore: z.number().min(0.1).max(0.99),
      })
      .strict(),
    head: z
      .object({
        /** Looking away: |yaw| or |pitch| beyond these (degrees, 0 = facing the screen). */
        maxYawDeg: z.number().min(5).max(90),
        maxPitchDeg: z.number().min(5).max(90),
      })
      .strict(),
    body: z
      .object({
        /** Pose keypoint score above which a keypoint counts as seen. */
        minKeypointScore: z.number().min(0.05).max(0.99),
        /** Large movement: mean shoulder-centre displacement per second, in shoulder widths. */
        motionPerSec: z.number().min(0.05).max(10),
        /** Pose is analysed on every n-th analysed frame. */
        everyNthFrame: z.number().int().min(1).max(30),
      })
      .strict(),
    audio: z
      .object({
        /** Noise: RMS level above this, dBFS (0 = full scale). */
        noiseDbfs: z.number().min(-90).max(0),
        /** Speech: voice-activity probability above this. */
        speechProbability: z.number().min(0.05).max(0.99),
        /** Muted: RMS level below this, dBFS (a live microphone always picks up some room noise). */
        mutedDbfs: z.number().min(-120).max(-40),
      })
      .strict(),
    objects: z
      .object({
        /** Forbidden-object detection runs every this many seconds (it is the slowest model). */
        intervalSec: z.number().min(0.5).max(30),
        minScore: z.number().min(0.1).max(0.99),
        /** Rule-12 classes this programme allows (e.g. a calculator exam may allow a keyboard). */
        allow: z.array(z.enum(INCIDENT_TYPES).refine((t) => INCIDENTS[t].group === 'object', 'not an object class')).max(20),
      })
      .strict(),
    /** Per incident type: persistence window, hysteresis and whether it is a violation. */
    incidents: z.record(z.enum(INCIDENT_TYPES), incidentRuleSchema),
    /** After a warning, violations that start within this many seconds are logged but not counted (time to read it and fix the cause). */
    warningGraceSec: seconds(300),
    /** A technical incident going on this long suspends the exam as a technical fault (rule 11). */
    technicalFaultSec: seconds(3600),
    /** Analysis is too slow below this many analysed frames per second (tech.low_fps). */
    minAnalysedFps: z.number().min(0.5).max(30),
    /**
     * Rules 2.8.5 and 14: total bitrate of the exam recording (camera video + microphone audio), kbps.
     * 32 kbps go to the audio (opus), the rest to the video (vp8, 640×480).
     */
    recordingKbps: z.number().int().min(96).max(4000),
    /**
     * Rules 2.8.5 and 14: the recording is cut into chunks this long, each stored and acknowledged on its own:
     * shorter chunks lose less when a browser dies, at a little more overhead per chunk.
     */
    recordingChunkSec: z.number().min(1).max(10),
    /**
     * Rule 11: the centre has not heard from the candidate's browser for this long (no connection)
     * while the exam runs: a technical fault, the exam is suspended for rescheduling (never a
     * violation, never a fail). Judged at the centre, which alone can act while the link is down;
     * a shorter outage never ends the exam: the browser keeps the exam going and its outbox drains.
     */
    offlineFaultSec: z.number().min(30).max(3600),
    /**
     * Rule 2.8.6 during the exam (when steps.identity is on): every this many seconds the browser
     * computes the descriptor of the one face in view and the centre compares it with the reference;
     * a mismatch opens face.mismatch (its afterSec / clearSec as any incident, judged by rule 13).
     * Each check costs ~0.1 s of the vision worker; a frame with no face or several is skipped.
     */
    identityCheckSec: z.number().min(10).max(3600),
    /** Rule 2.8.6 before the exam: an identity try whose head turn has not been seen in this many seconds fails (a new try may follow). */
    identityTurnSec: z.number().min(5).max(120),
    /**
     * Which steps before the first question this programme requires. The centre refuses
     * exam:start until each required one is done; the browser skips a step that is off. Consent
     * (Appendix 1) is not a switch: no consent, no exam.
     */
    steps: z
      .object({
        /** Browser, camera, microphone, bandwidth, models and storage checked before the start. */
        systemCheck: z.boolean(),
        /** Rule 2.8.6: the face matches the centre's reference (with a liveness check). */
        identity: z.boolean(),
        /** Rule 2.8.3: a full 360° scan of the room. */
        roomScan: z.boolean(),
      })
      .strict(),
  })
  .strict();
export type ProctoringConfig = z.infer<typeof proctoringConfigSchema>;

const rule = (afterSec: number, violation: boolean, clearSec = 1): IncidentRule => ({ afterSec, clearSec, violation });

/** The defaults: each window is long enough that a glance, a cough or a dropped frame never raises an incident. */
export const DEFAULT_PROCTORING: ProctoringConfig = {
  observe: false,
  analysisFps: 15,
  face: { minScore: 0.6 },
  head: { maxYawDeg: 30, maxPitchDeg: 20 },
  body: { minKeypointScore: 0.3, motionPerSec: 0.8, everyNthFrame: 3 },
  audio: { noiseDbfs: -35, speechProbability: 0.6, mutedDbfs: -95 },
  objects: { intervalSec: 1.5, minScore: 0.4, allow: [] },
  incidents: {
    'face.absent': rule(3, true, 1),
    'face.multiple': rule(2, true, 1),
    'face.mismatch': rule(5, true, 2),
    'head.away': rule(3, true, 1),
    'body.left': rule(5, true, 2),
    'body.motion': rule(3, false, 2),
    'audio.noise': rule(1, false, 1),
    'audio.speech': rule(1.5, true, 1.5),
    'audio.muted': rule(10, false, 1),
    'object.phone': rule(2, true, 3),
    'object.book': rule(2, true, 3),
    'object.laptop': rule(2, true, 3),
    'object.headphones': rule(2, true, 3),
    'object.remote': rule(3, false, 3),
    'object.keyboard': rule(3, false, 3),
    'env.focus_lost': rule(5, true, 0),
    'env.tab_hidden': rule(2, true, 0),
    'env.fullscreen_exit': rule(10, true, 0),
    'env.second_screen': rule(0, true, 0),
    'env.virtual_camera': rule(0, true, 0),
    'env.clipboard': rule(0, false, 0),
    'tech.camera_lost': rule(2, false, 1),
    'tech.mic_lost': rule(2, false, 1),
    'tech.offline': rule(5, false, 1),
    'tech.low_fps': rule(10, false, 5),
    'tech.model_failed': rule(0, false, 0),
  },
  warningGraceSec: 15,
  technicalFaultSec: 120,
  minAnalysedFps: 3,
  recordingKbps: 300,
  recordingChunkSec: 3,
  offlineFaultSec: 300,
  identityCheckSec: 60,
  identityTurnSec: 30,
  steps: { systemCheck: true, identity: true, roomScan: true },
};

/** A programme's overrides: any part of the settings, merged over the defaults. */
export const proctoringOverridesSchema = z
  .object({
    observe: z.boolean().optional(),
    analysisFps: z.number().optional(),
    face: z.record(z.string(), z.unknown()).optional(),
    head: z.record(z.string(), z.unknown()).optional(),
    body: z.record(z.string(), z.unknown()).optional(),
    audio: z.record(z.string(), z.unknown()).optional(),
    objects: z.record(z.string(), z.unknown()).optional(),
    incidents: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    warningGraceSec: z.number().optional(),
    technicalFaultSec: z.number().optional(),
    minAnalysedFps: z.number().optional(),
    recordingKbps: z.number().optional(),
    recordingChunkSec: z.number().optional(),
    offlineFaultSec: z.number().optional(),
    identityCheckSec: z.number().optional(),
    identityTurnSec: z.number().optional(),
    steps: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type ProctoringOverrides = z.infer<typeof proctoringOverridesSchema>;

/**
 * Defaults with a programme's overrides on top, validated. Throws a readable error naming the
 * bad setting; technical incidents are forced to non-violations (rule 11).
 */
export function resolveProctoring(overrides: unknown = {}): ProctoringConfig {
  const parsed = proctoringOverridesSchema.safeParse(overrides ?? {});
  if (!parsed.success)
    throw new Error(`proctoring settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const o = parsed.data;
  const d = DEFAULT_PROCTORING;
  const incidents = { ...d.incidents } as Record<string, unknown>;
  for (const [type, r] of Object.entries(o.incidents ?? {})) incidents[type] = { ...(d.incidents[type as IncidentType] ?? {}), ...r };
  const merged = {
    ...d,
    ...o,
    face: { ...d.face, ...o.face },
    head: { ...d.head, ...o.head },
    body: { ...d.body, ...o.body },
    audio: { ...d.audio, ...o.audio },
    objects: { ...d.objects, ...o.objects },
    steps: { ...d.steps, ...o.steps },
    incidents,
  };
  const result = proctoringConfigSchema.safeParse(merged);
  if (!result.success)
    throw new Error(`proctoring settings: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const config = result.data;
  for (const type of INCIDENT_TYPES)
    if (INCIDENTS[type].technical) config.incidents[type] = { ...config.incidents[type], violation: false };
  return config;
}
