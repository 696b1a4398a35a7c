/**
 * Real WebM recordings for the recording tests, made here so no binary fixture is kept:
 * ffmpeg (VP8 + Opus, written as a live stream like MediaRecorder's) cut into chunks at
 * arbitrary bytes as MediaRecorder cuts them, or the real MediaRecorder in headless Chromium.
 * ffmpeg and ffprobe (Debian package `ffmpeg`) are required: a test fails, never skips, without them.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { children, ID, readHeader, readUint } from '../server/recordings/ebml';
import { launchChromium } from './chromium';

export interface TestChunk {
  seq: number;
  sha256: string;
  bytes: Buffer;
  startedAt: number;
  durationMs: number;
  mime: string;
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function tool(name: 'ffmpeg' | 'ffprobe', args: string[], input?: Buffer): Buffer {
  try {
    return execFileSync(name, args, { input, maxBuffer: 512 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error(`${name} is not installed: apt-get install ffmpeg`);
    throw new Error(`${name} failed: ${e.stderr?.toString() ?? String(err)}`);
  }
}

/** A live-stream WebM (Segment of unknown size, no Cues, no Duration) of test pattern video and a tone. */
export function ffmpegWebm(seconds: number, options: { size?: string; tone?: number } = {}): Buffer {
  return tool('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${options.size ?? '320x240'}:rate=15`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${options.tone ?? 440}:sample_rate=48000`,
    '-t',
    String(seconds),
    '-c:v',
    'libvpx',
    '-b:v',
    '300k',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-g',
    '15',
    '-c:a',
    'libopus',
    '-b:a',
    '32k',
    '-cluster_time_limit',
    '1000',
    '-live',
    '1',
    '-f',
    'webm',
    'pipe:1',
  ]);
}

/** Cuts a recording into `count` chunks at arbitrary bytes, numbered from `firstSeq`; only the first carries the header. */
export function cutIntoChunks(
  webm: Buffer,
  count: number,
  options: { firstSeq?: number; startedAt?: number; seconds: number },
): TestChunk[] {
  const firstSeq = options.firstSeq ?? 1;
  const startedAt = options.startedAt ?? Date.now();
  const step = (options.seconds * 1000) / count;
  return Array.from({ length: count }, (_, i) => {
    const bytes = webm.subarray(Math.floor((i * webm.length) / count), Math.floor(((i + 1) * webm.length) / count));
    return {
      seq: firstSeq + i,
      sha256: sha256(bytes),
      bytes,
      startedAt: Math.round(startedAt + i * step),
      durationMs: Math.round(step),
      mime: 'video/webm;codecs=vp8,opus',
    };
  });
}

export interface Probe {
  durationS: number;
  streams: string[];
}

export function ffprobe(file: string): Probe {
  const out = JSON.parse(
    tool('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name', '-of', 'json', file]).toString(),
  ) as {
    format?: { duration?: string };
    streams?: Array<{ codec_name: string }>;
  };
  return { durationS: Number(out.format?.duration ?? NaN), streams: (out.streams ?? []).map((s) => s.codec_name) };
}

/** Decodes every frame; returns ffmpeg's error output (empty when the file is clean). */
export function decodeErrors(file: string): string {
  return tool('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']).toString();
}

/**
 * Records `seconds` of the fake camera and microphone with the real MediaRecorder in headless
 * Chromium, with a chunk every `timesliceMs`, as the candidate's browser would.
 */
export async function recordInChromium(seconds: number, timesliceMs: number): Promise<{ chunks: TestChunk[]; mime: string }> {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>recorder</title>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchChromium({ video: 'scenario.mjpeg', audio: 'scenario.wav' });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    const recorded = await page.evaluate(
      async ({ seconds, timesliceMs }) => {
        const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 15 }, audio: true });
        const options = { mimeType: 'video/webm;codecs=vp8,opus', videoBitsPerSecond: 300_000, videoKeyFrameIntervalDuration: 1000 };
        const recorder = new MediaRecorder(stream, options as MediaRecorderOptions);
        const parts: Array<Promise<{ b64: string; at: number }>> = [];
        let last = Date.now();
        recorder.ondataavailable = (e) => {
          const at = last;
          last = Date.now();
          parts.push(
            e.data.arrayBuffer().then((ab) => {
              let s = '';
              for (const b of new Uint8Array(ab)) s += String.fromCharCode(b);
              return { b64: btoa(s), at };
            }),
          );
        };
        recorder.start(timesliceMs);
        await new Promise((r) => setTimeout(r, seconds * 1000));
        await new Promise<void>((resolve) => {
          recorder.onstop = () => resolve();
          recorder.stop();
        });
        stream.getTracks().forEach((t) => t.stop());
        return { parts: await Promise.all(parts), mime: recorder.mimeType, end: Date.now() };
      },
      { seconds, timesliceMs },
    );
    const parts = recorded.parts.filter((p) => p.b64.length > 0);
    const chunks = parts.map((p, i) => {
      const bytes = Buffer.from(p.b64, 'base64');
      const next = parts[i + 1]?.at ?? recorded.end;
      return { seq: i + 1, sha256: sha256(bytes), bytes, startedAt: p.at, durationMs: next - p.at, mime: recorded.mime };
    });
    return { chunks, mime: recorded.mime };
  } finally {
    await browser.close();
    server.close();
  }
}

/**
 * What a reviewer's <video> makes of `videoUrl` (opened from a page at `pageUrl`, same origin):
 * its duration, how far it can seek, and where it lands after seeking to `seekTo` seconds.
 */
export async function playInChromium(
  pageUrl: string,
  videoUrl: string,
  seekTo: number,
): Promise<{ duration: number; seekableEnd: number; landedAt: number }> {
  const browser = await launchChromium({ video: 'scenario.mjpeg', audio: 'scenario.wav' });
  try {
    const page = await browser.newPage();
    await page.goto(pageUrl);
    return await page.evaluate(
      async ({ videoUrl, seekTo }) => {
        const video = document.createElement('video');
        video.muted = true;
        video.preload = 'auto';
        const once = (name: string) =>
          new Promise<void>((resolve, reject) => {
            video.addEventListener(name, () => resolve(), { once: true });
            video.addEventListener('error', () => reject(new Error(`video error ${video.error?.code}: ${video.error?.message}`)), {
              once: true,
            });
          });
        const loaded = once('loadedmetadata');
        video.src = videoUrl;
        document.body.append(video);
        await loaded;
        const seeked = once('seeked');
        video.currentTime = seekTo;
        await seeked;
        return { duration: video.duration, seekableEnd: video.seekable.length ? video.seekable.end(0) : 0, landedAt: video.currentTime };
      },
      { videoUrl, seekTo },
    );
  } finally {
    await browser.close();
  }
}

export interface WebmLayout {
  /** Top-level children of the Segment, in order, by name. */
  order: string[];
  segmentSizeKnown: boolean;
  /** Info's Duration in seconds (with its TimecodeScale), or null. */
  durationS: number | null;
  /** Cue points whose CueClusterPosition lands on a Cluster, out of all. */
  cues: { total: number; onCluster: number; timesMs: number[] };
  /** SeekHead entries that point where the element they name is. */
  seekHeadValid: boolean;
  clusters: number;
}

/** Reads the layout of a finished (sized) WebM, to check what the seekable builder promised. */
export function inspectWebm(file: Uint8Array): WebmLayout {
  const names = new Map<number, string>(Object.entries(ID).map(([name, id]) => [id, name]));
  const ebml = readHeader(file, 0)!;
  const segAt = ebml.headerLength + ebml.size!;
  const seg = readHeader(file, segAt)!;
  const start = segAt + seg.headerLength;
  const end = seg.size === null ? file.length : start + seg.size;
  const layout: WebmLayout = {
    order: [],
    segmentSizeKnown: seg.size !== null && end === file.length,
    durationS: null,
    cues: { total: 0, onCluster: 0, timesMs: [] },
    seekHeadValid: false,
    clusters: 0,
  };
  const at = new Map<number, number>();
  let scale = 1_000_000;
  const sub = (e: { start: number; end: number; headerLength: number }) => children(file, e.start + e.headerLength, e.end);
  const value = (e: { start: number; end: number; headerLength: number }) =>
    readUint(file, e.start + e.headerLength, e.end - e.start - e.headerLength);
  const seeks: Array<{ id: number; position: number }> = [];
  for (const e of children(file, start, end)) {
    const name = names.get(e.id) ?? `0x${e.id.toString(16)}`;
    if (e.id === ID.Cluster) layout.clusters++;
    else layout.order.push(name);
    if (!at.has(e.id)) at.set(e.id, e.start - start);
    if (e.id === ID.Info) {
      for (const c of sub(e)) {
        if (c.id === ID.TimecodeScale) scale = value(c);
        if (c.id === ID.Duration) layout.durationS = Buffer.from(file.subarray(c.start + c.headerLength, c.end)).readDoubleBE(0);
      }
    }
    if (e.id === ID.SeekHead) {
      for (const s of sub(e)) {
        let id = 0;
        let position = -1;
        for (const c of sub(s)) {
          if (c.id === ID.SeekID) id = readUint(file, c.start + c.headerLength, c.end - c.start - c.headerLength);
          if (c.id === ID.SeekPosition) position = value(c);
        }
        seeks.push({ id, position });
      }
    }
    if (e.id === ID.Cues) {
      for (const point of sub(e)) {
        layout.cues.total++;
        for (const c of sub(point)) {
          if (c.id === ID.CueTime) layout.cues.timesMs.push(value(c));
          if (c.id !== ID.CueTrackPositions) continue;
          for (const p of sub(c))
            if (p.id === ID.CueClusterPosition && readHeader(file, start + value(p))?.id === ID.Cluster) layout.cues.onCluster++;
        }
      }
    }
  }
  if (layout.durationS !== null) layout.durationS = (layout.durationS * scale) / 1e9;
  layout.cues.timesMs = layout.cues.timesMs.map((t) => (t * scale) / 1e6);
  layout.seekHeadValid = seeks.length > 0 && seeks.every((s) => at.get(s.id) === s.position);
  return layout;
}
