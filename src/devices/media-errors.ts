/** getUserMedia failures, sorted into what the candidate can do about them. */
export type MediaFailure = 'denied' | 'missing' | 'unsupported' | 'failed';

export function classifyMediaError(err: unknown): MediaFailure {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'missing';
  if (name === 'TypeError' && typeof navigator !== 'undefined' && !navigator.mediaDevices) return 'unsupported';
  return 'failed';
}

export class MediaStartError extends Error {
  constructor(readonly failure: MediaFailure, readonly detail: string) {
    super(`${failure}: ${detail}`);
  }
}

export async function openStream(constraints: MediaStreamConstraints): Promise<MediaStream> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
    throw new MediaStartError('unsupported', 'navigator.mediaDevices is not available (an insecure page or an old browser)');
  }
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch (err) {
    throw new MediaStartError(classifyMediaError(err), err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  }
}
