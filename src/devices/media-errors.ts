import { NoSoundError } from './audio-start';
import { TimeLimitError, withinTime } from './time-limit';

/**
 * getUserMedia failures, sorted into what the candidate can do about them. No endless waits: 'timeout' when
 * the browser gave no answer within the limit (a permission request nobody saw), 'no_sound' when the
 * microphone opened but the browser could not start its audio (no sound output device).
 */
export type MediaFailure = 'denied' | 'missing' | 'unsupported' | 'failed' | 'timeout' | 'no_sound';

/** How long the browser's camera and microphone request may stay unanswered (the candidate has to see and allow it). */
export const MEDIA_REQUEST_LIMIT_MS = 60_000;

export function classifyMediaError(err: unknown): MediaFailure {
  if (err instanceof TimeLimitError) return 'timeout';
  if (err instanceof NoSoundError) return 'no_sound';
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'missing';
  if (name === 'TypeError' && typeof navigator !== 'undefined' && !navigator.mediaDevices) return 'unsupported';
  return 'failed';
}

export class MediaStartError extends Error {
  constructor(
    readonly failure: MediaFailure,
    readonly detail: string,
  ) {
    super(`${failure}: ${detail}`);
  }
}

export async function openStream(constraints: MediaStreamConstraints, limitMs = MEDIA_REQUEST_LIMIT_MS): Promise<MediaStream> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
    throw new MediaStartError('unsupported', 'navigator.mediaDevices is not available (an insecure page or an old browser)');
  }
  try {
    // A stream that opens after the limit is stopped at once: the candidate has already been told to retry.
    return await withinTime(navigator.mediaDevices.getUserMedia(constraints), limitMs, 'the camera and microphone request', (late) =>
      late.getTracks().forEach((t) => t.stop()),
    );
  } catch (err) {
    throw new MediaStartError(classifyMediaError(err), err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  }
}
