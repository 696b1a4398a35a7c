/**
 * Reads the chunk stream of a recording (see webm-seekable.ts) and plans the seekable file:
 * the first run's EBML header, Info and Tracks, and for every cluster its new timecode, the
 * byte ranges of its blocks to copy (block bytes are never re-encoded; only a track number is
 * rewritten when a later recorder run numbered its tracks differently), and its cue.
 */
import type { ChunkRef, ChunkWindow } from './chunk-window';
import { CLUSTER_CHILDREN, ID, children, element, encodeId, encodeSize, readHeader, readUint, readVint, type ElementHeader } from './ebml';

export const CLUSTER_ID = encodeId(ID.Cluster);
/** Longest element header: 4-byte id + 8-byte size. */
const MAX_HEADER = 12;
/** Info, Tracks and BlockGroups are read whole; anything larger is not what MediaRecorder writes. */
const MAX_WHOLE_ELEMENT = 4 << 20;

export interface OutTrack {
  number: number;
  type: number;
  codec: string;
}
/** A range of the chunk stream to copy, or bytes made here. */
export type Piece = { start: number; end: number } | Uint8Array;
export interface PlannedCluster {
  timecode: number;
  pieces: Piece[];
  bytes: number;
  cue: { time: number; track: number } | null;
}
interface Run {
  offset: number;
  scale: number;
  /** Source track number → output track; filled by the run's Tracks. */
  map: Map<number, OutTrack>;
  skip: boolean;
  /** A run whose header chunk never arrived: its first kept cluster is moved to its first chunk's wall-clock time. */
  orphan?: { startedAt: number; placed: boolean };
}

export class Planner {
  ebmlHeader: Uint8Array | null = null;
  infoChildren: Uint8Array[] = [];
  scale = 1_000_000;
  tracks: Uint8Array | null = null;
  outTracks: OutTrack[] = [];
  clusters: PlannedCluster[] = [];
  notes: string[] = [];
  private run: Run | null = null;
  private firstStartedAt = 0;
  private endTicks = 0;
  private readonly last = new Map<number, { time: number; delta: number; duration: number | null }>();

  constructor(readonly w: ChunkWindow) {}

  get durationTicks(): number {
    let end = this.endTicks;
    for (const l of this.last.values()) end = Math.max(end, l.time + (l.duration ?? l.delta));
    return end;
  }

  private async header(pos: number, limit: number): Promise<ElementHeader | undefined> {
    return readHeader(await this.w.bytes(pos, MAX_HEADER, limit), 0);
  }

  /** Parses one stretch of consecutive chunks: [start, end) of the stream. */
  async stretch(start: number, end: number, first: ChunkRef): Promise<void> {
    let pos = start;
    let limit = end;
    if (first.header) {
      const ebml = await this.header(pos, limit);
      if (!ebml || ebml.id !== ID.EBML || ebml.size === null) return void this.notes.push(`chunk ${first.seq}: no EBML header`);
      const ebmlBytes = await this.w.bytes(pos, ebml.headerLength + ebml.size, limit);
      pos += ebmlBytes.length;
      const segment = await this.header(pos, limit);
      if (!segment || segment.id !== ID.Segment) return void this.notes.push(`chunk ${first.seq}: no Segment`);
      pos += segment.headerLength;
      if (segment.size !== null) limit = Math.min(limit, pos + segment.size);
      this.ebmlHeader ??= Uint8Array.from(ebmlBytes);
      const offsetTicks = this.run ? Math.max(this.toTicks(first.startedAt - this.firstStartedAt), this.durationTicks + 1) : 0;
      if (!this.run) this.firstStartedAt = first.startedAt;
      this.run = { offset: offsetTicks, scale: 1_000_000, map: new Map(), skip: false };
    } else {
      if (!this.run && !this.tracks)
        return void this.notes.push(`chunks ${first.seq}…: no header chunk in the recording to read them with`);
      if (!this.run) {
        // The run's own header chunk is lost; the same browser's later run (same format) lends its header.
        this.notes.push(`chunks ${first.seq}…: their header chunk is missing; read with the header of a later run`);
        this.firstStartedAt = first.startedAt;
        this.run = {
          offset: 0,
          scale: this.scale,
          map: new Map(this.outTracks.map((t) => [t.number, t])),
          skip: false,
          orphan: { startedAt: first.startedAt, placed: false },
        };
      }
      pos = await this.resync(pos, limit);
      if (pos < 0) return;
    }
    const run = this.run;
    while (pos < limit) {
      const h = await this.header(pos, limit);
      if (!h) return;
      if (h.id === ID.Cluster) {
        pos = await this.cluster(run, pos, h, limit);
        if (pos < 0) return;
        continue;
      }
      if (h.size === null) return;
      const elementEnd = pos + h.headerLength + h.size;
      if (elementEnd > limit) return;
      if ((h.id === ID.Info || h.id === ID.Tracks) && h.size <= MAX_WHOLE_ELEMENT) {
        const bytes = Uint8Array.from(await this.w.bytes(pos, elementEnd - pos, limit));
        if (h.id === ID.Info) this.info(run, bytes, h.headerLength);
        else this.trackList(run, bytes, h.headerLength);
      }
      pos = elementEnd;
      this.w.release(pos);
    }
  }

  /**
   * Reads the EBML header, Info and Tracks of a header chunk ahead of time, so chunks of an
   * earlier run whose own header chunk never arrived can still be read. Clusters are left for stretch().
   */
  async prime(start: number, end: number): Promise<boolean> {
    let pos = start;
    const ebml = await this.header(pos, end);
    if (!ebml || ebml.id !== ID.EBML || ebml.size === null) return false;
    const ebmlBytes = await this.w.bytes(pos, ebml.headerLength + ebml.size, end);
    pos += ebmlBytes.length;
    const segment = await this.header(pos, end);
    if (!segment || segment.id !== ID.Segment) return false;
    pos += segment.headerLength;
    const probe: Run = { offset: 0, scale: 1_000_000, map: new Map(), skip: false };
    while (pos < end && !this.tracks) {
      const h = await this.header(pos, end);
      if (!h || h.id === ID.Cluster || h.size === null) break;
      const elementEnd = pos + h.headerLength + h.size;
      if (elementEnd > end) break;
      if ((h.id === ID.Info || h.id === ID.Tracks) && h.size <= MAX_WHOLE_ELEMENT) {
        const bytes = Uint8Array.from(await this.w.bytes(pos, elementEnd - pos, end));
        if (h.id === ID.Info) this.info(probe, bytes, h.headerLength);
        else this.trackList(probe, bytes, h.headerLength);
      }
      pos = elementEnd;
    }
    if (!this.tracks) return false;
    this.ebmlHeader ??= Uint8Array.from(ebmlBytes);
    return true;
  }

  private toTicks(ms: number): number {
    return Math.max(0, Math.round((ms * 1_000_000) / this.scale));
  }

  private info(run: Run, bytes: Uint8Array, headerLength: number): void {
    const kept: Uint8Array[] = [];
    for (const c of children(bytes, headerLength, bytes.length)) {
      if (c.id === ID.TimecodeScale) run.scale = readUint(bytes, c.start + c.headerLength, c.size ?? 0);
      if (c.id !== ID.Duration) kept.push(bytes.subarray(c.start, c.end));
    }
    if (this.infoChildren.length === 0) {
      this.infoChildren = kept;
      this.scale = run.scale;
    } else if (run.scale !== this.scale) {
      run.skip = true;
      this.notes.push(`a later recording run has another timecode scale (${run.scale}): left out`);
    }
  }

  private trackList(run: Run, bytes: Uint8Array, headerLength: number): void {
    const entries: OutTrack[] = [];
    for (const e of children(bytes, headerLength, bytes.length)) {
      if (e.id !== ID.TrackEntry) continue;
      const t: OutTrack = { number: 0, type: 0, codec: '' };
      for (const c of children(bytes, e.start + e.headerLength, e.end)) {
        const at = c.start + c.headerLength;
        if (c.id === ID.TrackNumber) t.number = readUint(bytes, at, c.size ?? 0);
        if (c.id === ID.TrackType) t.type = readUint(bytes, at, c.size ?? 0);
        if (c.id === ID.CodecID) t.codec = Buffer.from(bytes.subarray(at, c.end)).toString('latin1');
      }
      entries.push(t);
    }
    if (!this.tracks) {
      this.tracks = bytes;
      this.outTracks = entries;
    }
    for (const e of entries) {
      const out = this.outTracks.find((o) => o.type === e.type && o.codec === e.codec);
      if (out) run.map.set(e.number, out);
      else this.notes.push(`a later recording run has a track (${e.codec}) the first did not: left out`);
    }
  }

  /** The next Cluster at or after `pos` (after a missing chunk); -1 when there is none. */
  private async resync(pos: number, limit: number): Promise<number> {
    for (let from = pos; ;) {
      const at = await this.w.find(CLUSTER_ID, from, limit);
      if (at < 0) return -1;
      const h = await this.header(at, limit);
      const next = h ? readHeader(await this.w.bytes(at + h.headerLength, MAX_HEADER, limit), 0) : undefined;
      if (h && next?.id === ID.Timecode) return at;
      from = at + 1;
    }
  }

  /** Plans one cluster; returns where the stream goes on, or -1 when the stretch ended inside it. */
  private async cluster(run: Run, pos: number, h: ElementHeader, limit: number): Promise<number> {
    const dataStart = pos + h.headerLength;
    const end = h.size === null ? limit : Math.min(dataStart + h.size, limit);
    const planned: PlannedCluster = { timecode: 0, pieces: [], bytes: 0, cue: null };
    let p = dataStart;
    let next = h.size === null ? limit : end;
    let tc = 0;
    while (p < end) {
      const ch = await this.header(p, end);
      if (!ch) {
        next = -1;
        break;
      }
      if (h.size === null && !CLUSTER_CHILDREN.has(ch.id)) {
        next = p; // an unknown-size cluster ends where a non-cluster element begins
        break;
      }
      const childEnd = ch.size === null ? Infinity : p + ch.headerLength + ch.size;
      if (childEnd > end) {
        next = -1; // cut at the last whole block
        break;
      }
      if (ch.id === ID.Timecode) tc = readUint(await this.w.bytes(p + ch.headerLength, ch.size!, end), 0, ch.size!);
      else if (!run.skip && ch.id === ID.SimpleBlock) await this.simpleBlock(run, planned, p, ch, childEnd, tc);
      else if (!run.skip && ch.id === ID.BlockGroup && ch.size! <= MAX_WHOLE_ELEMENT) await this.blockGroup(run, planned, p, childEnd, tc);
      p = childEnd;
      this.w.release(p);
    }
    if (planned.pieces.length > 0) {
      if (run.orphan && !run.orphan.placed) {
        // The lost header chunk held this run's start: its first kept cluster plays from the start of the file.
        run.orphan.placed = true;
        const shift = -tc - run.offset;
        run.offset += shift;
        for (const l of this.last.values()) l.time += shift;
        this.endTicks = Math.max(0, this.endTicks + shift);
        if (planned.cue) planned.cue.time = Math.max(0, planned.cue.time + shift);
      }
      planned.timecode = tc + run.offset;
      this.clusters.push(planned);
    }
    return next;
  }

  private async simpleBlock(run: Run, planned: PlannedCluster, pos: number, h: ElementHeader, end: number, tc: number): Promise<void> {
    const payload = pos + h.headerLength;
    const head = await this.w.bytes(payload, MAX_HEADER, end);
    const track = readVint(head, 0);
    const out = track?.value == null ? undefined : run.map.get(track.value);
    if (!track || !out || head.length < track.length + 3) return;
    const rel = (((head[track.length]! << 8) | head[track.length + 1]!) << 16) >> 16;
    const keyframe = (head[track.length + 2]! & 0x80) !== 0;
    if (out.number === track.value) this.push(planned, { start: pos, end });
    else {
      const number = encodeSize(out.number);
      this.push(planned, Buffer.concat([encodeId(ID.SimpleBlock), encodeSize(end - payload - track.length + number.length), number]));
      this.push(planned, { start: payload + track.length, end });
    }
    this.block(planned, out, tc + rel + run.offset, keyframe, null);
  }

  private async blockGroup(run: Run, planned: PlannedCluster, pos: number, end: number, tc: number): Promise<void> {
    const bytes = Uint8Array.from(await this.w.bytes(pos, end - pos, end));
    const h = readHeader(bytes, 0)!;
    let block: { start: number; end: number; payload: number } | null = null;
    let duration: number | null = null;
    let reference = false;
    for (const c of children(bytes, h.headerLength, bytes.length)) {
      if (c.id === ID.Block) block = { start: c.start, end: c.end, payload: c.start + c.headerLength };
      if (c.id === ID.BlockDuration) duration = readUint(bytes, c.start + c.headerLength, c.size ?? 0);
      if (c.id === ID.ReferenceBlock) reference = true;
    }
    const track = block ? readVint(bytes, block.payload) : undefined;
    const out = track?.value == null ? undefined : run.map.get(track.value);
    if (!block || !track || !out || block.payload + track.length + 2 > block.end) return;
    const at = block.payload + track.length;
    const rel = (((bytes[at]! << 8) | bytes[at + 1]!) << 16) >> 16;
    if (out.number === track.value) this.push(planned, { start: pos, end });
    else {
      const newBlock = element(ID.Block, [encodeSize(out.number), bytes.subarray(at, block.end)]);
      this.push(planned, element(ID.BlockGroup, [bytes.subarray(h.headerLength, block.start), newBlock, bytes.subarray(block.end)]));
    }
    this.block(planned, out, tc + rel + run.offset, !reference, duration);
  }

  private push(planned: PlannedCluster, piece: Piece): void {
    const prev = planned.pieces[planned.pieces.length - 1];
    if (prev && !(prev instanceof Uint8Array) && !(piece instanceof Uint8Array) && prev.end === piece.start) prev.end = piece.end;
    else planned.pieces.push(piece);
    planned.bytes += piece instanceof Uint8Array ? piece.length : piece.end - piece.start;
  }

  private block(planned: PlannedCluster, out: OutTrack, time: number, keyframe: boolean, duration: number | null): void {
    const hasVideo = this.outTracks.some((t) => t.type === 1);
    if (!planned.cue && (hasVideo ? out.type === 1 && keyframe : true)) planned.cue = { time: Math.max(0, time), track: out.number };
    const prev = this.last.get(out.number);
    this.last.set(out.number, { time, delta: prev && time > prev.time ? time - prev.time : (prev?.delta ?? 0), duration });
    this.endTicks = Math.max(this.endTicks, time);
  }
}
