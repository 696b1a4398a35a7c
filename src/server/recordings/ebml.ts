/**
 * The few EBML (Matroska / WebM) primitives the recording code needs: reading element
 * headers (ids and sizes as variable-length integers, "unknown" sizes included, since
 * MediaRecorder writes a live stream whose Segment and Clusters have no size) and writing
 * elements. Sizes and positions the remuxer patches later are written in a fixed 8 bytes.
 */

/** Element ids, with their length-marker bits, as they appear in the file. */
export const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  CodecID: 0x86,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  BlockDuration: 0x9b,
  ReferenceBlock: 0xfb,
  Cues: 0x1c53bb6b,
  CuePoint: 0xbb,
  CueTime: 0xb3,
  CueTrackPositions: 0xb7,
  CueTrack: 0xf7,
  CueClusterPosition: 0xf1,
} as const;

/** Ids that may appear inside a Cluster; anything else ends a Cluster of unknown size. */
export const CLUSTER_CHILDREN: ReadonlySet<number> = new Set([0xe7, 0x5854, 0xa7, 0xab, 0xa3, 0xa0, 0xaf, 0xec, 0xbf]);

export interface ElementHeader {
  id: number;
  /** Payload size; null when the size is "unknown" (all ones), as in a live stream. */
  size: number | null;
  /** Bytes of id + size. */
  headerLength: number;
}

/** Length of a variable-length integer from its first byte (1..8), or 0 when the byte cannot start one. */
export function vintLength(first: number): number {
  for (let i = 0; i < 8; i++) if (first & (0x80 >> i)) return i + 1;
  return 0;
}

/** Reads a size (marker bit removed); null for "unknown". Returns undefined when the bytes are not a vint. */
export function readVint(b: Uint8Array, pos: number): { value: number | null; length: number } | undefined {
  const first = b[pos];
  if (first === undefined) return undefined;
  const length = vintLength(first);
  if (length === 0 || pos + length > b.length) return undefined;
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = b[pos + i]!;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  return { value: allOnes ? null : value, length };
}

/** An element's id and size at `pos`; undefined when `b` ends first or the bytes are not an element header. */
export function readHeader(b: Uint8Array, pos: number): ElementHeader | undefined {
  const first = b[pos];
  if (first === undefined) return undefined;
  const idLength = vintLength(first);
  if (idLength === 0 || idLength > 4 || pos + idLength > b.length) return undefined;
  let id = 0;
  for (let i = 0; i < idLength; i++) id = id * 256 + b[pos + i]!;
  const size = readVint(b, pos + idLength);
  if (!size || size.length > 8) return undefined;
  return { id, size: size.value, headerLength: idLength + size.length };
}

/** An unsigned integer payload (up to 2^53). */
export function readUint(b: Uint8Array, pos: number, length: number): number {
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + b[pos + i]!;
  return value;
}

/** The direct children of a fully loaded master element's payload, with their offsets in `b`. */
export function* children(b: Uint8Array, start: number, end: number): Generator<ElementHeader & { start: number; end: number }> {
  let pos = start;
  while (pos < end) {
    const h = readHeader(b, pos);
    if (!h || h.size === null || pos + h.headerLength + h.size > end) return;
    yield { ...h, start: pos, end: pos + h.headerLength + h.size };
    pos += h.headerLength + h.size;
  }
}

export function encodeId(id: number): Buffer {
  const bytes: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from(bytes);
}

/** A size as a variable-length integer of `length` bytes (smallest that fits when omitted). */
export function encodeSize(size: number, length?: number): Buffer {
  let n = length ?? 1;
  while (length === undefined && size >= 2 ** (7 * n) - 1) n++;
  if (n > 8 || size >= 2 ** (7 * n) - 1) throw new RangeError(`size ${size} does not fit ${n} bytes`);
  const out = Buffer.alloc(n);
  let v = size;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[0]! |= 0x80 >> (n - 1);
  return out;
}

export function uintBytes(value: number, length?: number): Buffer {
  let n = length ?? 1;
  while (length === undefined && value >= 2 ** (8 * n)) n++;
  const out = Buffer.alloc(n);
  let v = value;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

export function element(id: number, payload: Uint8Array | Uint8Array[]): Buffer {
  const body = Array.isArray(payload) ? Buffer.concat(payload) : payload;
  return Buffer.concat([encodeId(id), encodeSize(body.length), body]);
}

export const uintElement = (id: number, value: number, length?: number): Buffer => element(id, uintBytes(value, length));

export function floatElement(id: number, value: number): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeDoubleBE(value);
  return element(id, payload);
}
