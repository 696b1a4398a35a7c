/**
 * The exam window: focus, tab visibility and full screen. Reports each change once
 * (blur and visibilitychange both fire when switching tabs; each is its own fact).
 */
import type { ClientEventType } from '../shared/protocol';

export type ScreenListener = (type: ClientEventType) => void;

export class ExamScreen {
  private detach: (() => void) | null = null;

  watch(listener: ScreenListener): void {
    this.unwatch();
    const onBlur = () => listener('env.focus_lost');
    const onFocus = () => listener('env.focus_back');
    const onVisibility = () => listener(document.visibilityState === 'hidden' ? 'env.tab_hidden' : 'env.tab_visible');
    const onFullscreen = () => listener(document.fullscreenElement ? 'env.fullscreen_enter' : 'env.fullscreen_exit');
    window.addEventListener('blur', onBlur);
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisibility);
    document.addEventListener('fullscreenchange', onFullscreen);
    this.detach = () => {
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisibility);
      document.removeEventListener('fullscreenchange', onFullscreen);
    };
  }

  unwatch(): void {
    this.detach?.();
    this.detach = null;
  }

  get isFullscreen(): boolean {
    return document.fullscreenElement !== null;
  }

  /** Must run inside a user gesture (a click); a refusal is not fatal, it is recorded by the caller. */
  async enterFullscreen(): Promise<boolean> {
    if (document.fullscreenElement) return true;
    try {
      await document.documentElement.requestFullscreen({ navigationUI: 'hide' });
      return true;
    } catch {
      return false;
    }
  }

  async exitFullscreen(): Promise<void> {
    // Leaving full screen after the exam: a browser that refuses leaves the page as it is.
    if (document.fullscreenElement) await document.exitFullscreen().catch(() => undefined);
  }
}
