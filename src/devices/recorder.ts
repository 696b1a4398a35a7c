/**
 * The exam recording (rules 2.8.5 and 14): the only module that owns a MediaRecorder. It records
 * the camera's video and the microphone's audio together as WebM and hands over a chunk every
 * timeslice, in order, with when it started and how long it covers. start() is idempotent,
 * stop() is safe twice and resolves once the last chunk has been handed over.
 *
 * Each start is a new run: its first chunk begins with the WebM (EBML) header, later chunks
 * continue the stream. A reload therefore starts a new run, which the centre joins to the earlier ones.
 */

/** Preferred format first; the first one the browser can record is used. */
export const RECORDING_MIME_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'] as const;
/** Audio share of the programme's total bitrate (opus speech is clear at 32 kbps). */
export const AUDIO_KBPS = 32;
/** One chunk every this many ms: small enough to lose little in a crash, large enough to keep overhead low. */
export const RECORDING_TIMESLICE_MS = 3_000;

export interface RecordedChunk {
  bytes: Uint8Array<ArrayBuffer>;
  /** Browser clock when the chunk's media began, ms since epoch. */
  startedAt: number;
  durationMs: number;
  mime: string;
  /** The first chunk of a run (it carries the WebM header). */
  runStart: boolean;
}

export type RecorderState = 'idle' | 'recording' | 'failed';

export function pickMimeType(isSupported: (mime: string) => boolean): string | null {
  return RECORDING_MIME_TYPES.find((m) => isSupported(m)) ?? null;
}

/** Bitrates for a programme's total kbps: audio fixed, the rest for video (at least 64 kbps). */
export function bitrates(totalKbps: number): { videoBitsPerSecond: number; audioBitsPerSecond: number } {
  return { videoBitsPerSecond: Math.max(64, totalKbps - AUDIO_KBPS) * 1000, audioBitsPerSecond: AUDIO_KBPS * 1000 };
}

export class Recorder {
  private recorder: MediaRecorder | null = null;
  private chain: Promise<void> = Promise.resolve();
  private stopped: Promise<void> | null = null;
  state: RecorderState = 'idle';
  error: string | null = null;
  mime: string | null = null;

  /**
   * Starts a run on the video of `camera` and the audio of `microphone`. `onChunk` gets each chunk
   * in order (awaited one after another). Returns false when this browser cannot record WebM.
   */
  start(
    camera: MediaStream,
    microphone: MediaStream | null,
    totalKbps: number,
    onChunk: (chunk: RecordedChunk) => Promise<void> | void,
    timesliceMs = RECORDING_TIMESLICE_MS,
  ): boolean {
    if (this.recorder && this.recorder.state !== 'inactive') return true;
    const mime = typeof MediaRecorder === 'undefined' ? null : pickMimeType((m) => MediaRecorder.isTypeSupported(m));
    if (!mime) {
      this.state = 'failed';
      this.error = 'this browser cannot record WebM';
      return false;
    }
    const stream = new MediaStream([...camera.getVideoTracks(), ...(microphone?.getAudioTracks() ?? [])]);
    const recorder = new MediaRecorder(stream, { mimeType: mime, ...bitrates(totalKbps) });
    let runStart = true;
    let sliceStart = Date.now();
    recorder.ondataavailable = (e: BlobEvent) => {
      const now = Date.now();
      const startedAt = sliceStart;
      sliceStart = now;
      if (e.data.size === 0) return;
      const first = runStart;
      runStart = false;
      const blob = e.data;
      // Blobs are read in order and handed over in order, whatever each read takes.
      this.chain = this.chain
        .then(async () =>
          onChunk({
            bytes: new Uint8Array(await blob.arrayBuffer()),
            startedAt,
            durationMs: now - startedAt,
            mime: recorder.mimeType || mime,
            runStart: first,
          }),
        )
        .catch((err: unknown) => {
          this.error = String(err);
        });
    };
    recorder.onerror = (e) => {
      this.state = 'failed';
      this.error = String((e as unknown as { error?: unknown }).error ?? 'recorder error');
    };
    this.stopped = new Promise<void>((resolve) => {
      recorder.onstop = () => void this.chain.then(resolve);
    });
    recorder.start(timesliceMs);
    this.recorder = recorder;
    this.mime = recorder.mimeType || mime;
    this.state = 'recording';
    this.error = null;
    return true;
  }

  get recording(): boolean {
    return this.recorder !== null && this.recorder.state !== 'inactive';
  }

  /** Ends the run: the last chunk is handed over before this resolves. */
  async stop(): Promise<void> {
    const recorder = this.recorder;
    if (!recorder) return;
    this.recorder = null;
    if (recorder.state !== 'inactive') recorder.stop();
    await this.stopped;
    if (this.state === 'recording') this.state = 'idle';
  }
}
