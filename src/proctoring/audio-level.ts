/**
 * Pure audio measurements for rule 2.8.1 (noise level) and the speech path: the RMS level of
 * a buffer in dBFS, meyda spectral features, a streaming resampler to the VAD's 16 kHz and a
 * framer that cuts a stream into the VAD's 512-sample (32 ms) frames. No DOM, no Web Audio.
 *
 * Why meyda's rms extractor is called directly and not through Meyda.extract('rms', ...):
 * Meyda.extract multiplies the buffer by its window (Hann unless windowingFunction = 'rect')
 * before every extractor, rms included, so its "rms" of noise reads ~4.3 dB low (Hann's mean
 * square is 3/8); it also insists on a power-of-two length and runs an FFT on every call even
 * when only rms is asked for. The extractor itself is the plain RMS of what it is given.
 * meyda works in a worker (its UMD build looks for `window` only to publish a global).
 */
import Meyda from 'meyda';

/** Level reported for digital silence (all-zero buffer), dBFS. */
export const SILENCE_DBFS = -100;
/** What Silero VAD v5 takes: 16 kHz mono, 512-sample frames (32 ms). */
export const VAD_SAMPLE_RATE = 16_000;
export const VAD_FRAME_SAMPLES = 512;

type Extractor = (args: { signal: Float32Array }) => number;
const meydaRms = (Meyda.featureExtractors as { rms: Extractor }).rms;

/** RMS amplitude (full scale = 1) as dBFS, floored at SILENCE_DBFS. */
export function rmsToDbfs(rms: number): number {
  return rms > 0 ? Math.max(SILENCE_DBFS, 20 * Math.log10(rms)) : SILENCE_DBFS;
}

/** RMS level of a buffer in dBFS (any length; meyda's rms extractor on the raw samples). */
export function levelDbfs(samples: Float32Array): number {
  if (samples.length === 0) return SILENCE_DBFS;
  return rmsToDbfs(meydaRms({ signal: samples }));
}

export interface SpectralFeatures {
  /** Spectral flatness 0..1 (geometric / arithmetic mean of the magnitude spectrum): ~0.5+ for white noise, low for voiced speech. */
  flatness: number;
  /** Spectral centroid in Hz. */
  centroidHz: number;
  /** Zero crossings per sample, 0..1. */
  zcr: number;
}

/**
 * meyda spectral features of one frame (Hann window). The length must be a power of two
 * (512 at 16 kHz = one VAD frame). An all-zero frame gives flatness 1, centroid 0.
 */
export function spectralFeatures(frame: Float32Array, sampleRate = VAD_SAMPLE_RATE): SpectralFeatures {
  let energy = 0;
  for (const s of frame) energy += s * s;
  if (energy === 0) return { flatness: 1, centroidHz: 0, zcr: 0 };
  // Meyda is one shared, configurable object: set what extract() reads on every call.
  Meyda.bufferSize = frame.length;
  Meyda.sampleRate = sampleRate;
  Meyda.windowingFunction = 'hanning';
  const f = Meyda.extract(['spectralFlatness', 'spectralCentroid', 'zcr'], frame);
  const bins = frame.length / 2;
  const flatness = f?.spectralFlatness;
  return {
    flatness: Number.isFinite(flatness) ? (flatness as number) : 1,
    // meyda's centroid is in spectrum bins (0..bufferSize/2).
    centroidHz: ((f?.spectralCentroid ?? 0) * sampleRate) / 2 / bins,
    zcr: (f?.zcr ?? 0) / Math.max(1, frame.length - 1),
  };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Blackman window on [-1, 1]. */
const blackman = (x: number) => 0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x);
const sinc = (x: number) => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

/**
 * Streaming band-limited resampler (polyphase windowed sinc) between integer sample rates, e.g.
 * 48000 or 44100 → 16000. Low-passes at 95% of the lower Nyquist, so downsampling does not fold
 * the 8-24 kHz band into the speech band. Output sample n is the input at time n * inRate / outRate
 * (no shift); it comes out once `latency` more input samples (half the filter) have arrived.
 * Call process() with consecutive blocks of any size.
 */
export class Resampler {
  /** Input samples the filter looks ahead. */
  readonly latency: number;
  private readonly up: number;
  private readonly down: number;
  private readonly half: number;
  private readonly taps: number;
  private readonly kernels: Float32Array;
  /** Unconsumed input: buf[0] is absolute input sample `base`. */
  private buf = new Float32Array(0);
  private base = 0;
  /** Next output sample n sits at input time n * down / up; kept as integer part and phase. */
  private nextIndex = 0;
  private nextPhase = 0;

  constructor(
    readonly inRate: number,
    readonly outRate: number = VAD_SAMPLE_RATE,
    zeroCrossings = 12,
  ) {
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0)
      throw new Error(`Resampler needs positive integer rates, got ${inRate} → ${outRate}`);
    const g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    if (this.up > 4096) throw new Error(`Resampler: ${inRate} → ${outRate} needs ${this.up} filter phases`);
    const cutoff = 0.95 * Math.min(1, outRate / inRate); // of the input Nyquist
    this.half = Math.ceil(zeroCrossings / cutoff);
    this.taps = 2 * this.half;
    this.kernels = new Float32Array(this.up * this.taps);
    for (let p = 0; p < this.up; p++) {
      const frac = p / this.up;
      let sum = 0;
      for (let k = 0; k < this.taps; k++) {
        const d = k - this.half + 1 - frac; // input sample minus output time, in input samples
        const v = Math.abs(d) >= this.half ? 0 : cutoff * sinc(cutoff * d) * blackman(d / this.half);
        this.kernels[p * this.taps + k] = v;
        sum += v;
      }
      for (let k = 0; k < this.taps; k++) this.kernels[p * this.taps + k]! /= sum; // unit gain at DC
    }
    this.latency = this.half;
  }

  /** Resamples the next block of the stream; returns the output samples it completes. */
  process(input: Float32Array): Float32Array {
    if (this.up === this.down) return input.slice();
    const buf = new Float32Array(this.buf.length + input.length);
    buf.set(this.buf);
    buf.set(input, this.buf.length);
    const end = this.base + buf.length; // absolute index after the last input sample
    const out: number[] = [];
    const { taps, half, kernels, up, down } = this;
    // Output at input time i + phase/up needs inputs i-half+1 .. i+half; before the stream
    // starts they count as zero.
    while (this.nextIndex + half < end) {
      const first = this.nextIndex - half + 1 - this.base;
      const k0 = this.nextPhase * taps;
      let acc = 0;
      for (let k = Math.max(0, -first); k < taps; k++) acc += kernels[k0 + k]! * buf[first + k]!;
      out.push(acc);
      this.nextPhase += down;
      this.nextIndex += Math.floor(this.nextPhase / up);
      this.nextPhase %= up;
    }
    const keepFrom = Math.max(0, this.nextIndex - half + 1 - this.base);
    this.buf = buf.slice(Math.min(keepFrom, buf.length));
    this.base += Math.min(keepFrom, buf.length);
    return Float32Array.from(out);
  }

  reset(): void {
    this.buf = new Float32Array(0);
    this.base = 0;
    this.nextIndex = 0;
    this.nextPhase = 0;
  }
}

/** Resamples a whole clip (same duration: round(length * outRate / inRate) samples). */
export function resample(samples: Float32Array, inRate: number, outRate: number = VAD_SAMPLE_RATE): Float32Array {
  if (inRate === outRate) return samples.slice();
  const r = new Resampler(inRate, outRate);
  const body = r.process(samples);
  const tail = r.process(new Float32Array(r.latency + 1)); // flush: the end of the clip against silence
  const all = new Float32Array(body.length + tail.length);
  all.set(body);
  all.set(tail, body.length);
  return all.slice(0, Math.round((samples.length * outRate) / inRate));
}

/** Cuts a stream into fixed-size frames (the VAD's 512 samples by default). */
export class Framer {
  private pending: Float32Array;
  private filled = 0;

  constructor(readonly size = VAD_FRAME_SAMPLES) {
    this.pending = new Float32Array(size);
  }

  /** Samples waiting for the next frame. */
  get buffered(): number {
    return this.filled;
  }

  /** Appends samples; returns the frames they complete (each a new array). */
  push(samples: Float32Array): Float32Array[] {
    const frames: Float32Array[] = [];
    let at = 0;
    while (at < samples.length) {
      const n = Math.min(this.size - this.filled, samples.length - at);
      this.pending.set(samples.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.size) {
        frames.push(this.pending);
        this.pending = new Float32Array(this.size);
        this.filled = 0;
      }
    }
    return frames;
  }

  reset(): void {
    this.filled = 0;
  }
}
