/**
 * The level path (rule 2.8.1 noise, audio.muted) and the resampler, on synthetic signals and
 * on the fixture WAVs (e2e/fixtures, set A; levels from labels.json: floor pink noise at
 * -60 dBFS RMS, scenario.wav white-noise burst 40-43 s at -20 dBFS, noise.wav pink noise at -25).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Meyda from 'meyda';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import { readWav } from '../testing/wav';
import {
  Framer,
  levelDbfs,
  resample,
  Resampler,
  rmsToDbfs,
  SILENCE_DBFS,
  spectralFeatures,
  VAD_FRAME_SAMPLES,
  VAD_SAMPLE_RATE,
} from './audio-level';

const FIXTURES = fileURLToPath(new URL('../../e2e/fixtures/', import.meta.url));
const wav = (name: string) => readWav(path.join(FIXTURES, name));

const sine = (n: number, rate: number, hz: number, amp = 1) =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));
/** Deterministic white noise, uniform -a..a (RMS a/sqrt(3)). */
function noise(n: number, a = 1, seed = 7): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 * a - a;
  });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const frameLevels = (samples: Float32Array) => new Framer().push(samples).map(levelDbfs);
const between = (samples: Float32Array, rate: number, from: number, to: number) =>
  samples.subarray(Math.round(from * rate), Math.round(to * rate));

describe('levelDbfs', () => {
  it('is the RMS in dBFS: full-scale sine -3.01, digital zero and empty buffers SILENCE_DBFS', () => {
    expect(levelDbfs(sine(16000, 16000, 1000))).toBeCloseTo(-3.01, 2);
    expect(levelDbfs(sine(512, 16000, 1000, 0.01))).toBeCloseTo(-43.01, 1);
    expect(levelDbfs(new Float32Array(512))).toBe(SILENCE_DBFS);
    expect(levelDbfs(new Float32Array(0))).toBe(SILENCE_DBFS);
    expect(rmsToDbfs(1e-9)).toBe(SILENCE_DBFS);
    // any length, not only powers of two (a 48 kHz 32 ms block is 1536 samples)
    expect(levelDbfs(sine(1536, 48000, 1000, 0.5))).toBeCloseTo(-9.03, 1);
  });

  it("equals Meyda.extract('rms') with the rectangular window; the default Hann window reads ~4.3 dB low", () => {
    const x = noise(512, 0.3);
    Meyda.bufferSize = 512;
    Meyda.sampleRate = 16000;
    Meyda.windowingFunction = 'rect';
    const rect = Meyda.extract('rms', x) as unknown as number;
    Meyda.windowingFunction = 'hanning';
    const hann = Meyda.extract('rms', x) as unknown as number;
    expect(levelDbfs(x)).toBeCloseTo(20 * Math.log10(rect), 5);
    expect(20 * Math.log10(hann) - levelDbfs(x)).toBeCloseTo(10 * Math.log10(3 / 8), 0); // -4.26 dB
  });
});

describe('fixture levels (labels.json)', () => {
  it('silence.wav is a -60 dBFS pink-noise floor, not digital zero: audio.muted (-95 dBFS) stays quiet', () => {
    const { samples, sampleRate } = wav('silence.wav');
    expect(sampleRate).toBe(VAD_SAMPLE_RATE);
    const zeros = samples.reduce((n, s) => n + (s === 0 ? 1 : 0), 0);
    const levels = frameLevels(samples);
    console.log(
      `[audio-level] silence.wav: ${levelDbfs(samples).toFixed(2)} dBFS overall, frames ${Math.min(...levels).toFixed(1)}..${Math.max(...levels).toFixed(1)} dBFS, ` +
        `${zeros}/${samples.length} samples exactly 0 (${((100 * zeros) / samples.length).toFixed(1)}%: zero crossings of 16-bit noise, not digital silence)`,
    );
    expect(levelDbfs(samples)).toBeGreaterThan(-61.5);
    expect(levelDbfs(samples)).toBeLessThan(-58.5);
    expect(zeros / samples.length).toBeLessThan(0.05);
    expect(Math.min(...levels)).toBeGreaterThan(DEFAULT_PROCTORING.audio.mutedDbfs + 25);
    expect(Math.max(...levels)).toBeLessThan(DEFAULT_PROCTORING.audio.noiseDbfs - 20);
  });

  it('scenario.wav: floor ≈ -60, noise burst 40-43 s ≈ -20, speech 20-26 s loud, within 1.5 dB', () => {
    const { samples, sampleRate } = wav('scenario.wav');
    const floor = levelDbfs(between(samples, sampleRate, 0, 20));
    const burst = levelDbfs(between(samples, sampleRate, 40, 43));
    const speech = levelDbfs(between(samples, sampleRate, 20, 26));
    const burstFrames = frameLevels(between(samples, sampleRate, 40.1, 42.9));
    const floorFrames = frameLevels(between(samples, sampleRate, 0, 20));
    console.log(
      `[audio-level] scenario.wav: floor 0-20 s ${floor.toFixed(2)} dBFS (frames median ${median(floorFrames).toFixed(1)}, max ${Math.max(...floorFrames).toFixed(1)}), ` +
        `burst 40-43 s ${burst.toFixed(2)} (frames ${Math.min(...burstFrames).toFixed(1)}..${Math.max(...burstFrames).toFixed(1)}), speech 20-26 s ${speech.toFixed(2)} dBFS`,
    );
    expect(Math.abs(floor - -60)).toBeLessThan(1.5);
    expect(Math.abs(burst - -20)).toBeLessThan(1.5);
    expect(Math.abs(median(floorFrames) - -60)).toBeLessThan(1.5);
    // every 32 ms frame of the burst is above the programme's noise threshold, no floor frame is
    expect(Math.min(...burstFrames)).toBeGreaterThan(DEFAULT_PROCTORING.audio.noiseDbfs);
    expect(Math.max(...floorFrames)).toBeLessThan(DEFAULT_PROCTORING.audio.noiseDbfs);
    expect(speech).toBeGreaterThan(-30);
  });

  it('noise.wav is -25 dBFS pink noise, speech.wav about -22.6 dBFS', () => {
    expect(Math.abs(levelDbfs(wav('noise.wav').samples) - -25)).toBeLessThan(1.5);
    expect(Math.abs(levelDbfs(wav('speech.wav').samples) - -22.6)).toBeLessThan(1.5);
  });

  it('takes well under 1 ms per 512-sample frame', () => {
    const frames = new Framer().push(wav('scenario.wav').samples);
    for (const f of frames.slice(0, 200)) levelDbfs(f); // warm up the JIT
    const t0 = performance.now();
    let sink = 0;
    for (const f of frames) sink += levelDbfs(f);
    const levelMs = (performance.now() - t0) / frames.length;
    const t1 = performance.now();
    for (const f of frames) sink += spectralFeatures(f).flatness;
    const spectralMs = (performance.now() - t1) / frames.length;
    const resampler = new Resampler(48000);
    const block48 = noise(1536, 0.1);
    const t2 = performance.now();
    for (let i = 0; i < 200; i++) sink += resampler.process(block48).length;
    const resampleMs = (performance.now() - t2) / 200;
    console.log(
      `[audio-level] per 32 ms frame: level (meyda rms → dBFS) ${(levelMs * 1000).toFixed(1)} µs, meyda spectral features ${(spectralMs * 1000).toFixed(0)} µs, ` +
        `resampling 1536 samples 48 kHz → 512 at 16 kHz ${(resampleMs * 1000).toFixed(0)} µs (${frames.length} frames)`,
    );
    expect(Number.isFinite(sink)).toBe(true);
    expect(levelMs).toBeLessThan(0.5);
    expect(levelMs + resampleMs).toBeLessThan(1);
  });
});

describe('Resampler', () => {
  it('keeps a 1 kHz tone from 48 kHz and 44.1 kHz at the same level and frequency', () => {
    for (const rate of [48000, 44100, 32000, 22050]) {
      const out = resample(sine(rate, rate, 1000, 0.5), rate);
      expect(out.length).toBe(16000);
      const mid = out.subarray(1000, 15000);
      expect(levelDbfs(mid)).toBeCloseTo(levelDbfs(sine(16000, 16000, 1000, 0.5)), 1);
      // against the ideal 16 kHz tone, sample by sample
      const ideal = sine(16000, 16000, 1000, 0.5).subarray(1000, 15000);
      let err = 0;
      for (let i = 0; i < mid.length; i++) err = Math.max(err, Math.abs(mid[i]! - ideal[i]!));
      expect(err, `${rate} Hz`).toBeLessThan(0.005);
    }
  });

  it('removes what 16 kHz cannot hold instead of folding it into the speech band', () => {
    // 10 kHz at 48 kHz would alias to 6 kHz; 12 kHz to 4 kHz
    for (const hz of [10000, 12000, 20000])
      expect(levelDbfs(resample(sine(48000, 48000, hz, 0.5), 48000).subarray(500, 15500))).toBeLessThan(-60);
    // the speech band passes: 6 kHz within 0.5 dB, 7 kHz within 2 dB (the filter rolls off towards 7.6 kHz)
    expect(levelDbfs(resample(sine(48000, 48000, 6000, 0.5), 48000).subarray(500, 15500))).toBeGreaterThan(-9.53);
    expect(levelDbfs(resample(sine(48000, 48000, 7000, 0.5), 48000).subarray(500, 15500))).toBeGreaterThan(-11.03);
  });

  it('gives the same samples in a stream of odd-sized blocks as in one call, and upsamples too', () => {
    const x = noise(48000, 0.2, 3);
    const whole = new Resampler(48000).process(x);
    const r = new Resampler(48000);
    const parts: number[] = [];
    for (let at = 0, n = 1; at < x.length; at += n, n = (n * 7 + 3) % 1000) parts.push(...r.process(x.subarray(at, at + n)));
    expect(parts.length).toBe(whole.length);
    expect(Math.max(...parts.map((v, i) => Math.abs(v - whole[i]!)))).toBeLessThan(1e-6);
    const up = resample(sine(8000, 8000, 500, 0.5), 8000);
    expect(up.length).toBe(16000);
    expect(levelDbfs(up.subarray(500, 15500))).toBeCloseTo(-9.03, 1);
    expect(() => new Resampler(44100.5)).toThrow(/integer/);
  });
});

describe('Framer and spectral features', () => {
  it('cuts a stream into 512-sample frames across pushes', () => {
    const framer = new Framer();
    expect(framer.push(new Float32Array(300))).toHaveLength(0);
    const frames = framer.push(Float32Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(frames).toHaveLength(2);
    expect(frames[0]![300]).toBe(1);
    expect(frames[1]![0]).toBe(VAD_FRAME_SAMPLES - 300 + 1);
    expect(framer.buffered).toBe(1300 - 1024);
  });

  it('reads white noise as flat, a tone as peaked, and survives digital silence', () => {
    const white = spectralFeatures(noise(512, 0.3));
    const tone = spectralFeatures(sine(512, 16000, 440, 0.3));
    expect(white.flatness).toBeGreaterThan(0.5);
    expect(tone.flatness).toBeLessThan(0.1);
    expect(tone.centroidHz).toBeLessThan(1500);
    expect(white.centroidHz).toBeGreaterThan(3000);
    expect(spectralFeatures(new Float32Array(512))).toEqual({ flatness: 1, centroidHz: 0, zcr: 0 });
  });
});
