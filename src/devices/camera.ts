/**
 * The camera: the only module that opens it. start() is idempotent, stop() is safe
 * twice and stops every track; subscribers hear when the track ends (unplugged, revoked).
 */
import { openStream } from './media-errors';

export type CameraListener = (state: 'on' | 'lost') => void;

export const CAMERA_CONSTRAINTS: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } };

export class Camera {
  private stream: MediaStream | null = null;
  private readonly listeners = new Set<CameraListener>();

  get mediaStream(): MediaStream | null {
    return this.stream;
  }

  get label(): string {
    return this.stream?.getVideoTracks()[0]?.label ?? '';
  }

  async start(): Promise<MediaStream> {
    if (this.stream?.active) return this.stream;
    const stream = await openStream({ video: CAMERA_CONSTRAINTS, audio: false });
    for (const track of stream.getVideoTracks()) track.addEventListener('ended', () => this.emit('lost'));
    this.stream = stream;
    this.emit('on');
    return stream;
  }

  stop(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
  }

  subscribe(listener: CameraListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(state: 'on' | 'lost'): void {
    this.listeners.forEach((l) => l(state));
  }
}
