/**
 * AudioWorklet processor: copies the microphone's raw samples into blocks of
 * processorOptions.blockSize (about 32 ms) and posts each block, mono Float32, straight to the
 * audio worker over the MessagePort it is given (CONNECT), transferring the buffer. It does no
 * analysis: the audio thread must never miss its 128-sample deadline.
 *
 * Loaded with audioWorklet.addModule(url) where url comes from `?worker&url` (audio-client.ts):
 * Vite then compiles this file to JavaScript; a plain `new URL('./x.ts', import.meta.url)` would
 * copy the TypeScript source as an asset instead.
 */
import { CAPTURE_PROCESSOR, type CaptureControl, type CaptureMessage, type CaptureProcessorOptions } from './audio-protocol';

// AudioWorkletGlobalScope, which the DOM lib does not describe.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: { processorOptions?: unknown });
}
declare function registerProcessor(name: string, processor: new (options: { processorOptions?: unknown }) => AudioWorkletProcessor): void;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly blockSize: number;
  private block: Float32Array;
  private filled = 0;
  private out: MessagePort | null = null;
  private stopped = false;

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    const requested = (options.processorOptions as Partial<CaptureProcessorOptions> | undefined)?.blockSize;
    this.blockSize = typeof requested === 'number' && requested >= 128 ? Math.floor(requested) : 512;
    this.block = new Float32Array(this.blockSize);
    this.port.onmessage = (event: MessageEvent<CaptureControl>) => {
      const message = event.data;
      if (message.type === 'CONNECT') {
        this.out?.close();
        this.out = message.port;
        this.filled = 0;
      } else if (message.type === 'STOP') {
        this.stopped = true;
        this.out?.close();
        this.out = null;
      }
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const channels = inputs[0];
    const first = channels?.[0];
    // No channels: the source is not (or no longer) connected. Keep the node alive.
    if (!channels || !first || !this.out) return true;
    const n = first.length;
    for (let i = 0; i < n;) {
      const take = Math.min(n - i, this.blockSize - this.filled);
      if (channels.length === 1) {
        this.block.set(first.subarray(i, i + take), this.filled);
      } else {
        for (let k = 0; k < take; k++) {
          let sum = 0;
          for (const ch of channels) sum += ch[i + k] ?? 0;
          this.block[this.filled + k] = sum / channels.length;
        }
      }
      this.filled += take;
      i += take;
      if (this.filled === this.blockSize) {
        const message: CaptureMessage = { type: 'AUDIO', samples: this.block, t: Date.now() };
        this.out.postMessage(message, [this.block.buffer]);
        this.block = new Float32Array(this.blockSize);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
