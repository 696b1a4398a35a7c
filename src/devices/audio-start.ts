/**
 * An AudioContext that never starts. A browser runs an audio graph on the clock of a sound
 * output device; Firefox with no output device (no sound card, no sound server) leaves the context
 * 'suspended' and resume() pending for ever, so the microphone is never read. The microphone meter
 * and the speech detector both start their contexts through here: either the context runs within
 * the limit or the caller gets NoSoundError and the candidate is told to connect headphones or speakers.
 */
import { withinTime } from './time-limit';

/** How long a context may take to start: it starts in well under a second wherever it can. */
export const AUDIO_START_LIMIT_MS = 5_000;

export class NoSoundError extends Error {
  constructor() {
    super('the browser could not start its audio: no sound output device answered');
    this.name = 'NoSoundError';
  }
}

/** Resolves once `context` is running; throws NoSoundError when it has not started within `limitMs`. */
export async function startAudioContext(context: AudioContext, limitMs = AUDIO_START_LIMIT_MS): Promise<void> {
  if (context.state === 'running') return;
  const running = new Promise<void>((resolve) => {
    const onChange = () => {
      if (context.state !== 'running') return;
      context.removeEventListener('statechange', onChange);
      resolve();
    };
    context.addEventListener('statechange', onChange);
    // resume() rejects only on a closed context; its state change is what we wait for
    context.resume().then(onChange, onChange);
  });
  try {
    await withinTime(running, limitMs, 'the audio context');
  } catch {
    throw new NoSoundError();
  }
}
