/**
 * Alerts for the proctor: a short beep made with WebAudio (no audio file to load or cache)
 * and the unseen count in the tab title. Neither ever takes focus.
 */
const MUTE_KEY = 'tanu.alertsMuted';

export function loadMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

export function saveMuted(muted: boolean): void {
  try {
    localStorage.setItem(MUTE_KEY, muted ? '1' : '0');
  } catch {
    /* private mode: lasts for this page */
  }
}

let context: AudioContext | null = null;
let lastBeep = 0;

/** Two short tones, at most one beep a second. Browsers allow sound only after the page was used once; until then it is silent. */
export function beep(): void {
  const now = Date.now();
  if (now - lastBeep < 1_000) return;
  lastBeep = now;
  try {
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    context ??= new Ctor();
    // The page has had no gesture yet: the alert is seen, not heard, until it has.
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    const t0 = context.currentTime;
    for (const [offset, freq] of [
      [0, 880],
      [0.16, 660],
    ] as const) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t0 + offset);
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + offset + 0.14);
      osc.connect(gain).connect(context.destination);
      osc.start(t0 + offset);
      osc.stop(t0 + offset + 0.15);
    }
  } catch {
    /* no audio on this machine: the title count still shows */
  }
}

/** Browsers start sound only after the page was used: call on the proctor's first click or key press. */
export function unlockAudio(): void {
  try {
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    context ??= new Ctor();
    // The page has had no gesture yet: the alert is seen, not heard, until it has.
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
  } catch {
    /* no audio */
  }
}
