/**
 * For tests and load tools: the steps before the first question taken through the real
 * socket commands, with inputs a good computer and an honest candidate would send.
 */
import type { Socket } from 'socket.io-client';
import { CURRENT_CONSENT } from '../shared/consent';
import { MjpegClip } from './mjpeg';
import { type ExamSnapshot, type Response, type RoomScanReport, type SystemCheckReport } from '../shared/protocol';

/** A system check report with every item passed (the figures are what a good computer measures). */
export const PASSING_SYSTEM_CHECK: SystemCheckReport = {
  ok: true,
  items: [
    { item: 'browser', ok: true, detail: { missing: '' } },
    { item: 'camera', ok: true, detail: { width: 640, height: 480, fps: 30 } },
    { item: 'microphone', ok: true, detail: { peakDbfs: -55 } },
    { item: 'network', ok: true, detail: { kbps: 20_000, rttMs: 5 } },
    { item: 'models', ok: true, detail: { msToReady: 4_000 } },
    { item: 'storage', ok: true, detail: { freeMb: 10_000 } },
  ],
};

/** A full 360° scan back to the starting view (rule 2.8.3). */
export const FULL_ROOM_SCAN: RoomScanReport = {
  coverageDeg: 360,
  complete: true,
  returnedToStart: true,
  durationMs: 30_000,
  frames: 450,
  recordingSeq: null,
};

/**
 * Rule 2.8.6 by enrolment: with no reference photo on file the centre enrols the first verified
 * face. Real photos, since the centre analyses them itself: person P of reference.jpg
 * in identity-live.mjpeg looking at the camera (frame 0, yaw +13.5° as the centre reads it) and at
 * the two extremes of the head turn (frame 60, -13.5°; frame 180, +15.4°).
 */
export const ENROLMENT_IDENTITY = (() => {
  const clip = new MjpegClip('identity-live.mjpeg');
  return { frontal: clip.jpegAt(0), left: clip.jpegAt(60), right: clip.jpegAt(180) };
})();

/** Rule 11: an assistant alone in front of the camera: person Q of other-person-6s.mjpeg, somebody other than the candidate P. */
export const ASSISTANT_PHOTO = new MjpegClip('other-person-6s.mjpeg').jpegAt(0);

async function send<T>(socket: Socket, event: string, payload: unknown, timeoutMs: number): Promise<T> {
  const res = (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as Response<T>;
  if ('error' in res) throw new Error(`${event} refused: ${res.error.code}: ${res.error.message}`);
  return res.data;
}

/**
 * Takes every step the programme requires (system check report, consent to the current Appendix 1
 * text in the exam language, identity by enrolment, a full room scan), so that exam:start is
 * accepted. The language must be chosen first.
 */
export async function takePrestartSteps(socket: Socket, timeoutMs = 5_000): Promise<ExamSnapshot> {
  let snap = await send<ExamSnapshot>(socket, 'exam:resume', {}, timeoutMs);
  const language = snap.language;
  if (!language) throw new Error('choose the exam language before the steps before the exam');
  const { steps } = snap.proctoring.config;
  if (steps.systemCheck) snap = await send<ExamSnapshot>(socket, 'exam:system-check', PASSING_SYSTEM_CHECK, timeoutMs);
  const consent = { version: CURRENT_CONSENT.version, textSha256: CURRENT_CONSENT.sha256[language], language };
  snap = await send<ExamSnapshot>(socket, 'exam:consent', consent, timeoutMs);
  if (steps.identity && snap.prestart.identity.verifiedAt === null) {
    // The centre analyses three photos in its face worker (the first starts it and loads the models): a longer wait.
    snap = (await send<{ snapshot: ExamSnapshot }>(socket, 'identity:verify', ENROLMENT_IDENTITY, Math.max(timeoutMs, 30_000))).snapshot;
  }
  if (steps.identity && snap.accommodations?.assistant && snap.prestart.assistant?.acceptedAt == null) {
    // Rule 11: the assistant the accommodations allow, alone in front of the camera (person Q, not the candidate P).
    snap = (await send<{ snapshot: ExamSnapshot }>(socket, 'identity:assistant', { jpeg: ASSISTANT_PHOTO }, Math.max(timeoutMs, 30_000)))
      .snapshot;
  }
  if (steps.roomScan) snap = await send<ExamSnapshot>(socket, 'room-scan:report', FULL_ROOM_SCAN, timeoutMs);
  return snap;
}
