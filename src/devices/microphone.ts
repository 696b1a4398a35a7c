/**
 * The microphone: the only module that opens it. Raw signal (no echo cancellation,
 * noise suppression or automatic gain) so that measured levels mean something.
 * level() gives the current RMS level in dBFS for the meter.
 */
import { DeviceListeners, type DeviceListener } from './device-listeners';
import { startAudioContext } from './audio-start';
import { MediaStartError, openStream } from './media-errors';

export const SILENCE_DBFS = -100;

export const MICROPHONE_CONSTRAINTS: MediaTrackConstraints = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };

export function rmsToDbfs(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  return rms > 0 ? Math.max(SILENCE_DBFS, 20 * Math.log10(rms)) : SILENCE_DBFS;
}

export class Microphone {
  private stream: MediaStream | null = null;
  /** When the current stream opened (Date.now()): a fake capture file starts playing then (evaluation timing). */
  startedAt: number | null = null;
  private context: AudioContext | null = null;
  private analyser: AnalyserNode | null = null;
  private buffer: Float32Array<ArrayBuffer> | null = null;
  private readonly listeners = new DeviceListeners();

  get mediaStream(): MediaStream | null {
    return this.stream;
  }

  async start(): Promise<MediaStream> {
    if (this.stream?.active) return this.stream;
    const stream = await openStream({ audio: MICROPHONE_CONSTRAINTS, video: false });
    this.listeners.watch(stream);
    this.stream = stream;
    this.startedAt = Date.now();
    this.context = new AudioContext();
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 2048;
    this.buffer = new Float32Array(this.analyser.fftSize);
    this.context.createMediaStreamSource(stream).connect(this.analyser);
    try {
      await startAudioContext(this.context);
    } catch (err) {
      this.stop();
      throw new MediaStartError('no_sound', err instanceof Error ? err.message : String(err));
    }
    this.listeners.emit('on');
    return stream;
  }

  /** Current level in dBFS (SILENCE_DBFS when stopped). */
  level(): number {
    if (!this.analyser || !this.buffer) return SILENCE_DBFS;
    this.analyser.getFloatTimeDomainData(this.buffer);
    return rmsToDbfs(this.buffer);
  }

  stop(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    // Closing a context that is already closing or closed: nothing to do.
    void this.context?.close().catch(() => undefined);
    this.context = null;
    this.analyser = null;
    this.buffer = null;
  }

  subscribe(listener: DeviceListener): () => void {
    return this.listeners.subscribe(listener);
  }
}
