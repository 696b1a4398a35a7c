/**
 * The rest of the browser environment proctoring watches (rule 12, rule 2.8.4): a second
 * screen, a virtual camera in place of a real one, and use of the clipboard. Each change is
 * an EnvSignal for the incident tracker; copying and pasting are also blocked on the exam page.
 */
import type { EnvSignal } from '../proctoring/signals';

/** Camera names of common virtual-camera programs (OBS, ManyCam, Snap Camera, XSplit, DroidCam...). */
const VIRTUAL_CAMERA = /\b(virtual|obs|manycam|snap camera|xsplit|droidcam|epoccam|camtwist|e2esoft|splitcam|youcam|iriun|ndi)\b/i;

export function isVirtualCameraLabel(label: string): boolean {
  return VIRTUAL_CAMERA.test(label);
}

interface ExtendedScreen extends Screen, EventTarget {
  /** Window Management API (Chromium): true when the system has more than one screen. No permission needed. */
  isExtended?: boolean;
}

export function screenCount(): number | null {
  const s = window.screen as ExtendedScreen;
  return typeof s.isExtended === 'boolean' ? (s.isExtended ? 2 : 1) : null;
}

export class EnvironmentWatch {
  private detach: (() => void) | null = null;

  /** Starts watching; reports the current state at once (screens, camera label) so the tracker starts from facts. */
  watch(cameraLabel: string, emit: (signal: EnvSignal) => void): void {
    this.unwatch();
    const now = () => Date.now();
    const count = screenCount();
    if (count !== null) emit({ t: now(), kind: 'screens', count });
    if (isVirtualCameraLabel(cameraLabel)) emit({ t: now(), kind: 'virtual_camera', label: cameraLabel.slice(0, 100) });

    const onScreenChange = () => {
      const n = screenCount();
      if (n !== null) emit({ t: now(), kind: 'screens', count: n });
    };
    const onClipboard = (e: ClipboardEvent) => {
      e.preventDefault();
      emit({ t: now(), kind: 'clipboard', action: e.type as 'copy' | 'cut' | 'paste' });
    };
    const onOnline = () => emit({ t: now(), kind: 'network', online: true });
    const onOffline = () => emit({ t: now(), kind: 'network', online: false });
    const screen = window.screen as ExtendedScreen;
    screen.addEventListener('change', onScreenChange);
    for (const type of ['copy', 'cut', 'paste'] as const) document.addEventListener(type, onClipboard);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    this.detach = () => {
      screen.removeEventListener('change', onScreenChange);
      for (const type of ['copy', 'cut', 'paste'] as const) document.removeEventListener(type, onClipboard);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    };
  }

  unwatch(): void {
    this.detach?.();
    this.detach = null;
  }
}
