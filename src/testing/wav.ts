/**
 * A small WAV reader for the audio fixtures (e2e/fixtures/*.wav: 16-bit PCM mono 16 kHz).
 * parseWav is pure (bytes in, samples out); readWav adds the Node file read.
 * Handles PCM 8/16/24/32-bit and IEEE float 32-bit, any channel count (mixed down to mono).
 */
import { readFileSync } from 'node:fs';

export interface WavAudio {
  sampleRate: number;
  /** Channels in the file (samples are mixed down to mono). */
  channels: number;
  bitsPerSample: number;
  /** Mono samples, -1..1. */
  samples: Float32Array;
  /** What each sample was stored as: digital zero stays exactly 0. */
  format: 'pcm' | 'float';
}

const ascii = (view: DataView, at: number) =>
  String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));

export function parseWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || ascii(view, 0) !== 'RIFF' || ascii(view, 8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let fmt: { tag: number; channels: number; sampleRate: number; bits: number; blockAlign: number } | null = null;
  let data: { at: number; size: number } | null = null;
  for (let at = 12; at + 8 <= bytes.byteLength;) {
    const id = ascii(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      let tag = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (tag === 0xfffe && size >= 26) tag = view.getUint16(body + 24, true);
      fmt = {
        tag,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      data = { at: body, size: Math.min(size, bytes.byteLength - body) };
    }
    at = body + size + (size % 2); // chunks are word-aligned
  }
  if (!fmt) throw new Error('WAV has no fmt chunk');
  if (!data) throw new Error('WAV has no data chunk');
  const { tag, channels, sampleRate, bits, blockAlign } = fmt;
  if (tag !== 1 && tag !== 3) throw new Error(`unsupported WAV format tag ${tag}`);
  if (tag === 3 && bits !== 32) throw new Error(`unsupported float WAV with ${bits} bits`);
  if (tag === 1 && ![8, 16, 24, 32].includes(bits)) throw new Error(`unsupported PCM WAV with ${bits} bits`);
  const bytesPer = bits / 8;
  const frames = Math.floor(data.size / blockAlign);
  const samples = new Float32Array(frames);
  const read = (at: number): number => {
    if (tag === 3) return view.getFloat32(at, true);
    switch (bits) {
      case 8:
        return (view.getUint8(at) - 128) / 128;
      case 16:
        return view.getInt16(at, true) / 32768;
      case 24: {
        const v = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
        return v / 8388608;
      }
      default:
        return view.getInt32(at, true) / 2147483648;
    }
  };
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read(data.at + i * blockAlign + c * bytesPer);
    samples[i] = sum / channels;
  }
  return { sampleRate, channels, bitsPerSample: bits, samples, format: tag === 3 ? 'float' : 'pcm' };
}

export function readWav(file: string): WavAudio {
  return parseWav(new Uint8Array(readFileSync(file)));
}
