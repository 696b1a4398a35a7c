/** Who hears a device's state changes: a device started, or its track ended (unplugged, revoked). */
export type DeviceEvent = 'on' | 'lost';
export type DeviceListener = (state: DeviceEvent) => void;

export class DeviceListeners {
  private readonly listeners = new Set<DeviceListener>();

  subscribe(listener: DeviceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(state: DeviceEvent): void {
    this.listeners.forEach((l) => l(state));
  }

  /** Reports 'lost' when any of the stream's tracks ends. */
  watch(stream: MediaStream): void {
    for (const track of stream.getTracks()) track.addEventListener('ended', () => this.emit('lost'));
  }
}
