/**
 * The camera: the only module that opens it. start() is idempotent, stop() is safe
 * twice and stops every track; subscribers hear when the track ends (unplugged, revoked).
 */
import { DeviceListeners, type DeviceListener } from './device-listeners';
import { openStream } from './media-errors';

export const CAMERA_CONSTRAINTS: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } };

export class Camera {
  private stream: MediaStream | null = null;
  /** When the current stream opened (Date.now()): a fake capture file starts playing then (evaluation timing). */
  startedAt: number | null = null;
  private readonly listeners = new DeviceListeners();

  get mediaStream(): MediaStream | null {
    return this.stream;
  }

  get label(): string {
    return this.stream?.getVideoTracks()[0]?.label ?? '';
  }

  async start(): Promise<MediaStream> {
    if (this.stream?.active) return this.stream;
    const stream = await openStream({ video: CAMERA_CONSTRAINTS, audio: false });
    this.listeners.watch(stream);
    this.stream = stream;
    this.startedAt = Date.now();
    this.listeners.emit('on');
    return stream;
  }

  stop(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
  }

  subscribe(listener: DeviceListener): () => void {
    return this.listeners.subscribe(listener);
  }
}
