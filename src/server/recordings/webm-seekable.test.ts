/**
 * The seekable builder on synthetic live WebM streams (unknown-size Segment and Clusters, as
 * Chrome's MediaRecorder writes them), cut at arbitrary bytes: every whole block arrives, in
 * order, at the right time; Cues point at clusters that start with a keyframe; gaps and a second
 * recorder run are handled. Real recordings are tested in recording.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { inspectWebm } from '../../testing/recording-chunks';
import type { ChunkRef } from './chunk-window';
import { children, element, encodeId, ID, readHeader, readUint, readVint, uintElement } from './ebml';
import { buildSeekable, UnplayableRecording } from './webm-seekable';

interface Block {
  track: number;
  time: number;
  key: boolean;
  size?: number;
  group?: { duration?: number; reference?: boolean };
}
interface Track {
  number: number;
  type: 1 | 2;
  codec: string;
}
const UNKNOWN = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

let fill = 0;
function payload(size: number): Buffer {
  return Buffer.from(Array.from({ length: size }, () => (fill = (fill * 31 + 7) % 251)));
}

/** A live stream: blocks grouped in clusters of `clusterMs`, a cluster per keyframe of the first video track. */
function liveWebm(tracks: Track[], blocks: Block[], clusterMs = 1000): Buffer {
  const parts: Buffer[] = [
    element(ID.EBML, [element(ID.DocType, Buffer.from('webm'))]),
    Buffer.concat([encodeId(ID.Segment), UNKNOWN]),
    element(ID.Info, [uintElement(ID.TimecodeScale, 1_000_000)]),
    element(
      ID.Tracks,
      tracks.map((t) =>
        element(ID.TrackEntry, [
          uintElement(ID.TrackNumber, t.number),
          uintElement(ID.TrackType, t.type),
          element(ID.CodecID, Buffer.from(t.codec)),
        ]),
      ),
    ),
  ];
  let clusterTc = -Infinity;
  for (const b of blocks) {
    if (b.time - clusterTc >= clusterMs || (b.key && tracks.find((t) => t.number === b.track)?.type === 1 && b.time !== clusterTc)) {
      clusterTc = b.time;
      parts.push(Buffer.concat([encodeId(ID.Cluster), UNKNOWN]), uintElement(ID.Timecode, clusterTc));
    }
    const rel = Buffer.alloc(2);
    rel.writeInt16BE(b.time - clusterTc);
    const head = Buffer.concat([Buffer.from([0x80 | b.track]), rel]);
    const data = payload(b.size ?? 40);
    if (!b.group) parts.push(element(ID.SimpleBlock, [head, Buffer.from([b.key ? 0x80 : 0]), data]));
    else {
      const extra = [
        ...(b.group.duration ? [uintElement(ID.BlockDuration, b.group.duration)] : []),
        ...(b.group.reference ? [element(ID.ReferenceBlock, Buffer.from([0xdf]))] : []),
      ];
      parts.push(element(ID.BlockGroup, [element(ID.Block, [head, Buffer.from([0]), data]), ...extra]));
    }
  }
  return Buffer.concat(parts);
}

/** Blocks of a built file: track, absolute time, keyframe, payload. */
function blocksOf(file: Uint8Array): Array<{ track: number; time: number; key: boolean; data: string }> {
  const out: Array<{ track: number; time: number; key: boolean; data: string }> = [];
  const ebml = readHeader(file, 0)!;
  const seg = readHeader(file, ebml.headerLength + ebml.size!)!;
  const start = ebml.headerLength + ebml.size! + seg.headerLength;
  for (const cluster of children(file, start, start + seg.size!)) {
    if (cluster.id !== ID.Cluster) continue;
    let tc = 0;
    for (const c of children(file, cluster.start + cluster.headerLength, cluster.end)) {
      const at = c.start + c.headerLength;
      if (c.id === ID.Timecode) tc = readUint(file, at, c.end - at);
      let block = c.id === ID.SimpleBlock ? { at, end: c.end } : null;
      let reference = false;
      for (const g of c.id === ID.BlockGroup ? children(file, at, c.end) : []) {
        if (g.id === ID.Block) block = { at: g.start + g.headerLength, end: g.end };
        if (g.id === ID.ReferenceBlock) reference = true;
      }
      if (!block) continue;
      const track = readVint(file, block.at)!;
      const rel = Buffer.from(file.subarray(block.at + track.length, block.at + track.length + 2)).readInt16BE(0);
      const key = c.id === ID.SimpleBlock ? (file[block.at + track.length + 2]! & 0x80) !== 0 : !reference;
      out.push({
        track: track.value!,
        time: tc + rel,
        key,
        data: Buffer.from(file.subarray(block.at + track.length + 3, block.end)).toString('hex'),
      });
    }
  }
  return out;
}

/** Cuts `stream` at the given offsets into chunks numbered from `firstSeq`. */
function cut(stream: Buffer, offsets: number[], firstSeq = 1, startedAt = 0): Array<ChunkRef & { data: Buffer }> {
  const bounds = [0, ...offsets, stream.length];
  return bounds.slice(1).map((end, i) => {
    const data = stream.subarray(bounds[i]!, end);
    return { seq: firstSeq + i, bytes: data.length, header: data[0] === 0x1a && data[1] === 0x45, startedAt, data };
  });
}

async function build(chunks: Array<ChunkRef & { data: Buffer }>) {
  const parts: Uint8Array[] = [];
  const result = await buildSeekable(
    chunks,
    async (seq) => chunks.find((c) => c.seq === seq)?.data ?? null,
    async (b) => void parts.push(Uint8Array.from(b)),
  );
  const file = Buffer.concat(parts);
  expect(file.length).toBe(result.bytes);
  return { result, file };
}

const AV: Track[] = [
  { number: 1, type: 1, codec: 'V_VP8' },
  { number: 2, type: 2, codec: 'A_OPUS' },
];
/** `seconds` of video at 10 fps (a keyframe every `keyEveryMs`) and audio every 20 ms. */
function avBlocks(seconds: number, keyEveryMs = 1000, from = 0): Block[] {
  const blocks: Block[] = [];
  for (let t = from; t < from + seconds * 1000; t += 20) {
    if (t % 100 === 0)
      blocks.push({ track: 1, time: t, key: (t - from) % keyEveryMs === 0, size: (t - from) % keyEveryMs === 0 ? 300 : 60 });
    blocks.push({ track: 2, time: t, key: true, size: 20 });
  }
  return blocks;
}

describe('buildSeekable', () => {
  it('turns a live stream cut at any byte into one sized file with Duration and Cues, every block in place', async () => {
    const blocks = avBlocks(5);
    const stream = liveWebm(AV, blocks);
    const offsets = [37, 38, 150, 151, 1999, 5000, 5003, 9000, 14_000, 14_001, 20_000];
    const { file, result } = await build(cut(stream, offsets));
    expect(result.notes).toEqual([]);
    expect(blocksOf(file)).toEqual(blocksOf(await build(cut(stream, [])).then((b) => b.file)));
    expect(blocksOf(file).map((b) => `${b.track}@${b.time}`)).toEqual(blocks.map((b) => `${b.track}@${b.time}`));
    const layout = inspectWebm(file);
    expect(layout).toMatchObject({
      order: ['SeekHead', 'Info', 'Tracks', 'Cues'],
      segmentSizeKnown: true,
      seekHeadValid: true,
      clusters: 5,
    });
    expect(layout.durationS).toBeCloseTo(5, 2); // last audio block at 4.98 s + 20 ms
    expect(layout.cues).toEqual({ total: 5, onCluster: 5, timesMs: [0, 1000, 2000, 3000, 4000] });
  });

  it('cues only clusters that start with a video keyframe; a BlockGroup keeps its duration and reference', async () => {
    const blocks: Block[] = [
      { track: 1, time: 0, key: true },
      { track: 1, time: 500, key: false },
      { track: 1, time: 1000, key: false, group: { reference: true } },
      { track: 1, time: 1500, key: false, group: { duration: 700, reference: true } },
    ];
    const { file } = await build(cut(liveWebm(AV, blocks, 1000), [60]));
    expect(blocksOf(file).map((b) => [b.time, b.key])).toEqual([
      [0, true],
      [500, false],
      [1000, false],
      [1500, false],
    ]);
    const layout = inspectWebm(file);
    expect(layout.cues.timesMs).toEqual([0]);
    expect(layout.durationS).toBeCloseTo(2.2, 3);
  });

  it('after a missing chunk, keeps the whole blocks before it and resumes at the next cluster', async () => {
    const stream = liveWebm(AV, avBlocks(4));
    const chunks = cut(stream, [3000, 6000, 9000]);
    const { file, result } = await build(chunks.filter((c) => c.seq !== 2));
    expect(result.notes).toEqual(['chunk 2 is missing']);
    const times = blocksOf(file).map((b) => b.time);
    const all = blocksOf(await build(chunks).then((b) => b.file));
    // Every block in the output is a real block, unchanged, and the stream goes on after the gap.
    const byKey = new Map(all.map((b) => [`${b.track}@${b.time}`, b.data]));
    for (const b of blocksOf(file)) expect(byKey.get(`${b.track}@${b.time}`)).toBe(b.data);
    expect(Math.max(...times)).toBe(3980);
    expect(times.length).toBeLessThan(all.length);
    expect(inspectWebm(file).cues.onCluster).toBe(inspectWebm(file).cues.total);
  });

  it('a page reload starts a second recorder run: its clusters follow, shifted by wall-clock time, tracks matched by type', async () => {
    const first = cut(liveWebm(AV, avBlocks(2)), [500, 1500], 1, 1_000_000);
    const swapped: Track[] = [
      { number: 1, type: 2, codec: 'A_OPUS' },
      { number: 2, type: 1, codec: 'V_VP8' },
    ];
    const secondBlocks = avBlocks(2).map((b) => ({ ...b, track: b.track === 1 ? 2 : 1 }));
    const second = cut(liveWebm(swapped, secondBlocks), [700], 4, 1_005_000);
    const { file, result } = await build([...first, ...second]);
    expect(result.notes).toEqual([]);
    const blocks = blocksOf(file);
    const video = blocks.filter((b) => b.track === 1).map((b) => b.time);
    expect(video.slice(0, 3)).toEqual([0, 100, 200]);
    expect(video.filter((t) => t >= 5000).slice(0, 3)).toEqual([5000, 5100, 5200]);
    expect(blocks.filter((b) => b.track === 2)).toHaveLength(200);
    expect(inspectWebm(file).durationS).toBeCloseTo(7, 2);
  });

  it("a first run whose header chunk is lost is read with the next run's header, from its first whole cluster", async () => {
    const first = cut(liveWebm(AV, avBlocks(3)), [900, 2500, 5000], 1, 1_000_000);
    const second = cut(liveWebm(AV, avBlocks(2)), [700], 5, 1_010_000);
    const { file, result } = await build([...first.slice(1), ...second]);
    expect(result.notes).toEqual(['chunks 2…: their header chunk is missing; read with the header of a later run', 'chunk 1 is missing']);
    const video = blocksOf(file)
      .filter((b) => b.track === 1)
      .map((b) => b.time);
    // The first run's clusters after the lost chunk play from 0, the second run follows at its wall-clock offset.
    expect(video[0]).toBe(0);
    const firstRunVideo = video.filter((t) => t < 5000);
    expect(firstRunVideo.length).toBeGreaterThan(5);
    expect(video.filter((t) => t >= 5000).length).toBe(20);
    expect(inspectWebm(file).cues.onCluster).toBe(inspectWebm(file).cues.total);
  });

  it('needs the first chunk: without a header nothing can be played', async () => {
    const chunks = cut(liveWebm(AV, avBlocks(2)), [800, 1600]);
    await expect(build(chunks.slice(1))).rejects.toBeInstanceOf(UnplayableRecording);
  });
});
