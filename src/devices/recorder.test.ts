import { describe, expect, it } from 'vitest';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import { AUDIO_KBPS, bitrates, pickMimeType } from './recorder';

describe('recorder settings (rules 2.8.5, 14)', () => {
  it('prefers vp8 + opus, then what the browser says it can record, and nothing when it cannot record WebM', () => {
    expect(pickMimeType(() => true)).toBe('video/webm;codecs=vp8,opus');
    expect(pickMimeType((m) => m !== 'video/webm;codecs=vp8,opus')).toBe('video/webm;codecs=vp9,opus');
    expect(pickMimeType((m) => m === 'video/webm')).toBe('video/webm');
    expect(pickMimeType((m) => m.startsWith('video/mp4'))).toBeNull();
  });

  it('splits the programme bitrate into 32 kbps audio and the rest for video', () => {
    expect(DEFAULT_PROCTORING.recordingKbps).toBe(300);
    expect(bitrates(300)).toEqual({ videoBitsPerSecond: 268_000, audioBitsPerSecond: AUDIO_KBPS * 1000 });
    expect(bitrates(96).videoBitsPerSecond).toBe(64_000);
  });
});
