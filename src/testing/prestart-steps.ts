/**
 * Issue 4 for tests and load tools: the steps before the first question taken through the real
 * socket commands, with inputs a good computer and an honest candidate would send.
 */
import type { Socket } from 'socket.io-client';
import { CURRENT_CONSENT } from '../shared/consent';
import { FACE_DESCRIPTOR_LENGTH, type ExamSnapshot, type Response, type RoomScanReport, type SystemCheckReport } from '../shared/protocol';

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
export const FULL_ROOM_SCAN: RoomScanReport = { coverageDeg: 360, complete: true, returnedToStart: true, durationMs: 30_000, frames: 450, recordingSeq: null };

/** A 16×16 grey JPEG made with ffmpeg (`-f lavfi -i color=c=gray:s=16x16 -frames:v 1`). */
const TINY_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgKCgsKCw0NDQ0NDRAPEBAQEBAQEBAQEBASEhIVFRUSEhIQEBISFBQVFRcXFxUVFRUXFxkZGR4eHBwjIyQrKzP/xABKAAEAAAAAAAAAAAAAAAAAAAAAAQEAAAAAAAAAAAAAAAAAAAAAEAEAAAAAAAAAAAAAAAAAAAAAEQEAAAAAAAAAAAAAAAAAAAAA/8AAEQgAEAAQAwEiAAIRAAMRAP/aAAwDAQACEQMRAD8AAA//2Q==',
  'base64',
);

/** Rule 2.8.6 by enrolment: with no reference photo on file the centre enrols the first verified face. */
export const ENROLMENT_IDENTITY = {
  descriptor: Array.from({ length: FACE_DESCRIPTOR_LENGTH }, (_, i) => Math.sin(i + 1) / 10),
  liveness: { passed: true, method: 'turn', yawMinDeg: -25, yawMaxDeg: 25, blinks: 0, durationMs: 3_000 },
  jpeg: new Uint8Array(TINY_JPEG),
};

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
    snap = (await send<{ snapshot: ExamSnapshot }>(socket, 'identity:verify', ENROLMENT_IDENTITY, timeoutMs)).snapshot;
  }
  if (steps.roomScan) snap = await send<ExamSnapshot>(socket, 'room-scan:report', FULL_ROOM_SCAN, timeoutMs);
  return snap;
}
