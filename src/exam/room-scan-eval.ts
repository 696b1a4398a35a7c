/** What `npm run eval -- --room-scan` reads of each room-scan attempt (only when the page was opened for it). */
import type { RoomScanReading } from '../proctoring/room-scan';
import type { ScanObjectFinding } from '../proctoring/room-scan-objects';

export type ScanEnd = 'complete' | 'stopped' | 'time_up' | 'camera';

export interface RoomScanEvalRun {
  startedAt: number;
  endedAt: number | null;
  end: ScanEnd | null;
  coverageDeg: number;
  complete: boolean;
  returnedToStart: boolean;
  /** Per measured frame: capture time (Date.now()), heading, status, and ms of canvas + tracker. */
  frames: Array<{ t: number; headingDeg: number; status: RoomScanReading['status']; ms: number }>;
  objects: ScanObjectFinding[];
  /** Object-detector runs that reported during the scan (0: the engine's models were not ready, nothing was checked). */
  objectRuns: number;
  fovDeg: number;
}
