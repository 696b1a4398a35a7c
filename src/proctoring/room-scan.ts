/**
 * The 360° room scan (rule 2.8.3), measured (pure: no DOM, no clock; frames and times come in).
 *
 * The candidate turns the webcam (or the laptop) around the room. How far it really turned is
 * measured from the picture, not taken on trust:
 * 1. each frame is area-averaged down to a 160x120 grey image and high-passed (grey minus its
 *    9x9 local mean), so a change of exposure or of the overall brightness does not look like motion;
 * 2. its horizontal shift against a key frame is found by block matching: the mean absolute
 *    difference over the overlap, searched on a 80x60 copy around the predicted shift (the last
 *    shift plus the last per-frame motion), refined on the 160x120 image and to a fraction of a
 *    pixel by a parabola through the best cost and its neighbours;
 * 3. a frame whose best match is still poor or not distinct (see MAX_MATCH_ERROR: the picture
 *    changed too much, the camera turned too fast or something covers it), whose texture is too
 *    weak to measure (a blank wall, a covered lens) or whose vertical shift runs off the search
 *    range is not used; the heading waits for the next good frame, so lost frames can only make
 *    the measured turn smaller, never larger;
 * 4. heading = the key frame's heading + shift × degrees per pixel (the camera's horizontal field
 *    of view over the image width). The key frame is renewed once the view has moved a quarter
 *    of its width, so errors add up once per ~15°, not once per frame;
 * 5. coverage is the span of headings visited (max − min): turning back and forth over the same
 *    part of the room never counts twice;
 * 6. the scan is complete when the camera is back at its first view after a whole turn (the
 *    current picture matches the first frame, centred to within RETURN_ALIGN_DEG, at a heading a
 *    whole turn can end at: see checkReturn) and the coverage, rescaled so that this turn measures
 *    360°, is at least 360° − COVERAGE_TOLERANCE_DEG. Coming back the way it went is a return
 *    (returnedToStart) but never complete.
 *
 * Sign: heading grows as the camera turns right (the scene slides left in the image), as the
 * fixtures' yaw_deg_by_s labels it.
 */

/** Work image size: cheap enough for ~1 ms per frame in JS, fine enough for ~0.1° steps. */
export const WORK_WIDTH = 160;
export const WORK_HEIGHT = 120;

/**
 * The camera's horizontal field of view, degrees. Laptop and USB webcams are 55-78° diagonal,
 * i.e. about 48-68° horizontal at 4:3; 60° is the middle, and it is the fixtures' geometry (their
 * panorama maps 360° to 3840 px, so the 640 px frame spans 60°). A wider real lens makes the
 * measured turn larger than the real one by the ratio of the two (a 68° lens: 13% more).
 */
export const DEFAULT_FOV_DEG = 60;

/** Coverage this short of 360° still counts as the full turn: the 60°-wide view covers the rest. */
export const COVERAGE_TOLERANCE_DEG = 10;

/** Came back the way it went: heading within this many degrees of 0, and the picture matches the first. */
export const RETURN_WINDOW_DEG = 20;

/**
 * Where a whole turn can end, in measured degrees: a 360° turn measures 360 × assumed / real field
 * of view, so 270..480 allows lenses of 45-80° horizontal when 60° is assumed.
 */
export const FULL_TURN_MIN_DEG = 270;
export const FULL_TURN_MAX_DEG = 480;

/** The first view counts as reached when it is centred to within this many degrees. */
export const RETURN_ALIGN_DEG = 3;

/** Before this much coverage, seeing the first view again is not a return (the camera never left). */
export const LEAVE_DEG = 90;

/**
 * Two frames match when the best shift leaves a mean abs difference of at most this fraction of
 * their mean abs high-pass value, and that shift is distinct: its cost at most MAX_DISTINCT of the
 * median cost over the search. Measured on the fixtures (src/proctoring/room-scan.test.ts, 320 and
 * 640 px clips): frames 1-12 steps apart match at error ≤ 0.44 and distinct ≤ 0.37; views of
 * other parts of the room give error ≥ 0.97 and distinct ≥ 0.78.
 */
export const MAX_MATCH_ERROR = 0.6;
export const MAX_DISTINCT = 0.6;

/** Mean abs high-pass value (grey levels 0-255) below which a frame has too little texture to measure. */
export const MIN_TEXTURE = 1.5;

/** Faster than this (degrees per second) the candidate is asked to turn more slowly. */
export const MAX_SPEED_DEG_S = 45;

/**
 * After this many unusable frames in a row the key frame is replaced by the next good one (the
 * turn in between is not counted). Low-texture frames count, but only a failed match replaces the key.
 */
const LOST_AFTER = 3;
/** Re-acquiring after unusable frames: search at most this far either side (work px), with this much overlap. */
const REACQUIRE_MAX_PX = 64;
const REACQUIRE_OVERLAP = 1 / 3;

/** The key frame is renewed once the view moved this fraction of the width. */
const REKEY_FRACTION = 0.25;

/** Half-width of the horizontal search around the predicted shift, in coarse (80 px) pixels. */
const SEARCH_COARSE = 12;
/** Vertical search, coarse pixels (±2 = ±4 px at 160x120, i.e. a small tilt while turning). */
const SEARCH_VERTICAL_COARSE = 2;
/**
 * Band-pass filter radii, work pixels: a 3x3 mean, minus a 17x17 local mean. Chosen on the
 * fixtures (JPEG quality 8, blocky): good matches' errors fell from p95 0.48 (no smoothing, 9x9)
 * to 0.28, unrelated views stayed above 0.85.
 */
const SMOOTH_RADIUS = 1;
const HIGHPASS_RADIUS = 8;

/** An RGBA picture (the layout of ImageData and of jpeg-js output). */
export interface RgbaFrame {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

export type ScanFrameStatus = 'start' | 'ok' | 'low_texture' | 'too_different' | 'complete';

export interface RoomScanReading {
  /** Where the camera points now, degrees from the first frame (right turn positive). */
  headingDeg: number;
  /** Span of headings visited so far, degrees. */
  coverageDeg: number;
  complete: boolean;
  /** The camera came back to its first view after having left it (at least LEAVE_DEG of coverage). */
  returnedToStart: boolean;
  /** What this frame was good for. */
  status: ScanFrameStatus;
  /** Turning speed over the last good frames, degrees per second (absolute). */
  speedDegS: number;
  /** Turning faster than MAX_SPEED_DEG_S, or frames too different to match. */
  tooFast: boolean;
  /** The match error of this frame (0 = identical; see MAX_MATCH_ERROR), null when not matched. */
  matchError: number | null;
  /** Times the picture was lost and part of the turn went unmeasured (see RoomScanTracker.gaps). */
  gaps: number;
}

export interface RoomScanOptions {
  fovDeg?: number;
  toleranceDeg?: number;
}

/** A high-passed work image and its half-size copy. */
interface Signature {
  fine: Float32Array; // WORK_WIDTH x WORK_HEIGHT
  coarse: Float32Array; // WORK_WIDTH/2 x WORK_HEIGHT/2
  texture: number; // mean |fine|
}

/** RGBA of any size → WORK_WIDTH x WORK_HEIGHT grey (Rec. 601 luma), each output pixel the mean of its source block. */
export function toWorkGrey(frame: RgbaFrame): Float32Array {
  const { width, height, data } = frame;
  if (width < WORK_WIDTH || height < WORK_HEIGHT)
    throw new Error(`room scan: frame ${width}x${height} is smaller than ${WORK_WIDTH}x${WORK_HEIGHT}`);
  if (data.length < width * height * 4) throw new Error(`room scan: ${data.length} bytes for a ${width}x${height} RGBA frame`);
  const out = new Float32Array(WORK_WIDTH * WORK_HEIGHT);
  const xs = Array.from({ length: WORK_WIDTH + 1 }, (_, i) => Math.floor((i * width) / WORK_WIDTH));
  for (let oy = 0; oy < WORK_HEIGHT; oy++) {
    const y0 = Math.floor((oy * height) / WORK_HEIGHT);
    const y1 = Math.floor(((oy + 1) * height) / WORK_HEIGHT);
    for (let ox = 0; ox < WORK_WIDTH; ox++) {
      const x0 = xs[ox]!;
      const x1 = xs[ox + 1]!;
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        let p = (y * width + x0) * 4;
        for (let x = x0; x < x1; x++, p += 4) sum += 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
      }
      out[oy * WORK_WIDTH + ox] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/** Grey minus its local box mean (radius r), by an integral image. */
function highPass(grey: Float32Array, w: number, h: number, r: number): Float32Array {
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += grey[y * w + x]!;
      integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1]! + row;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const ya = Math.max(0, y - r);
    const yb = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const xa = Math.max(0, x - r);
      const xb = Math.min(w, x + r + 1);
      const sum = integral[yb * (w + 1) + xb]! - integral[ya * (w + 1) + xb]! - integral[yb * (w + 1) + xa]! + integral[ya * (w + 1) + xa]!;
      out[y * w + x] = grey[y * w + x]! - sum / ((yb - ya) * (xb - xa));
    }
  }
  return out;
}

function boxBlur(grey: Float32Array, w: number, h: number, r: number): Float32Array {
  const hp = highPass(grey, w, h, r);
  const out = new Float32Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = grey[i]! - hp[i]!;
  return out;
}

function halve(img: Float32Array, w: number, h: number): Float32Array {
  const hw = w >> 1;
  const hh = h >> 1;
  const out = new Float32Array(hw * hh);
  for (let y = 0; y < hh; y++)
    for (let x = 0; x < hw; x++) {
      const p = 2 * y * w + 2 * x;
      out[y * hw + x] = (img[p]! + img[p + 1]! + img[p + w]! + img[p + w + 1]!) / 4;
    }
  return out;
}

export function signatureOf(frame: RgbaFrame): Signature {
  // Band-pass: a 3x3 mean takes out pixel noise and JPEG block edges, the local 17x17 mean the brightness.
  const fine = highPass(boxBlur(toWorkGrey(frame), WORK_WIDTH, WORK_HEIGHT, SMOOTH_RADIUS), WORK_WIDTH, WORK_HEIGHT, HIGHPASS_RADIUS);
  let texture = 0;
  for (let i = 0; i < fine.length; i++) texture += Math.abs(fine[i]!);
  return { fine, coarse: halve(fine, WORK_WIDTH, WORK_HEIGHT), texture: texture / fine.length };
}

/**
 * Mean |key(x, y) − cur(x − dx, y − dy)| over the overlap (content at x in the key frame is at
 * x − dx in the current one), or Infinity when the overlap is narrower than minOverlap of the width.
 */
function cost(key: Float32Array, cur: Float32Array, w: number, h: number, dx: number, dy: number, minOverlap: number): number {
  const x0 = Math.max(0, dx);
  const x1 = Math.min(w, w + dx);
  const y0 = Math.max(0, dy);
  const y1 = Math.min(h, h + dy);
  if (x1 - x0 < w * minOverlap || (y1 - y0) * 2 < h) return Infinity;
  let sum = 0;
  for (let y = y0; y < y1; y++) {
    const kRow = y * w;
    const cRow = (y - dy) * w - dx;
    for (let x = x0; x < x1; x++) sum += Math.abs(key[kRow + x]! - cur[cRow + x]!);
  }
  return sum / ((x1 - x0) * (y1 - y0));
}

export interface Match {
  /** Horizontal shift in work pixels (sub-pixel), content moved from x to x − dx. */
  dx: number;
  dy: number;
  /** Best cost over the two frames' mean texture: 0 = identical. */
  error: number;
  /** Best coarse cost over the median cost of the search: near 1 = no distinct match, low = a clear minimum. */
  distinct: number;
  /** The best vertical shift was at the edge of the search (tilted too much to trust). */
  verticalEdge: boolean;
}

/** Block matching of `cur` against `key` for horizontal shifts centre ± range (work pixels). */
export function matchShift(key: Signature, cur: Signature, centre: number, range: number, minOverlap = 0.5): Match {
  const cw = WORK_WIDTH / 2;
  const ch = WORK_HEIGHT / 2;
  const c0 = Math.round(centre / 2);
  const r = Math.max(1, Math.round(range / 2));
  let best = { dx: c0, dy: 0, c: Infinity };
  const all: number[] = [];
  for (let dy = -SEARCH_VERTICAL_COARSE; dy <= SEARCH_VERTICAL_COARSE; dy++)
    for (let dx = c0 - r; dx <= c0 + r; dx++) {
      const c = cost(key.coarse, cur.coarse, cw, ch, dx, dy, minOverlap);
      if (Number.isFinite(c)) all.push(c);
      if (c < best.c) best = { dx, dy, c };
    }
  all.sort((a, b) => a - b);
  const median = all[all.length >> 1] ?? Infinity;
  // Refine at full size: ±2 px around the coarse best, ±1 px vertically.
  let fine = { dx: 2 * best.dx, dy: 2 * best.dy, c: Infinity };
  const costs = new Map<number, number>();
  for (let dy = 2 * best.dy - 1; dy <= 2 * best.dy + 1; dy++)
    for (let dx = 2 * best.dx - 2; dx <= 2 * best.dx + 2; dx++) {
      const c = cost(key.fine, cur.fine, WORK_WIDTH, WORK_HEIGHT, dx, dy, minOverlap);
      if (c < fine.c) fine = { dx, dy, c };
    }
  for (const dx of [fine.dx - 1, fine.dx + 1]) costs.set(dx, cost(key.fine, cur.fine, WORK_WIDTH, WORK_HEIGHT, dx, fine.dy, minOverlap));
  const left = costs.get(fine.dx - 1)!;
  const right = costs.get(fine.dx + 1)!;
  const curvature = left + right - 2 * fine.c;
  const sub = Number.isFinite(curvature) && curvature > 1e-9 ? Math.max(-0.5, Math.min(0.5, (left - right) / (2 * curvature))) : 0;
  return {
    dx: fine.dx + sub,
    dy: fine.dy,
    error: key.texture + cur.texture > 0 ? (2 * fine.c) / (key.texture + cur.texture) : Infinity,
    distinct: median > 0 ? best.c / median : 1,
    verticalEdge: Math.abs(fine.dy) >= 2 * SEARCH_VERTICAL_COARSE + 1,
  };
}

/** The same view: a small residual at a clear minimum, not at the edge of the vertical search. */
export const matches = (m: Match): boolean => m.error <= MAX_MATCH_ERROR && m.distinct <= MAX_DISTINCT && !m.verticalEdge;

/** Degrees into (-180, 180]. */
export function wrapDeg(deg: number): number {
  const w = ((((deg + 180) % 360) + 360) % 360) - 180;
  return w === -180 ? 180 : w;
}

/**
 * The scan's state machine: feed it the camera's frames in order (about 10 per second is
 * plenty; any rate from 5 to 30 works at a slow turn) with their capture times.
 */
export class RoomScanTracker {
  readonly degPerPx: number;
  readonly toleranceDeg: number;
  private start: Signature | null = null;
  private key: Signature | null = null;
  private keyHeading = 0;
  /** Shift of the last good frame against the key frame, and the motion per frame before it. */
  private lastDx = 0;
  private velocityPx = 0;
  private heading = 0;
  private minHeading = 0;
  private maxHeading = 0;
  private lost = 0;
  private lastGood: { t: number; heading: number } | null = null;
  private speed = 0;
  private done = false;
  private returned = false;
  /** 360° over the measured heading of the whole turn, once complete (1 while not). */
  private turnScale = 1;
  /** Frames fed, and frames whose shift was measured. */
  frames = 0;
  usedFrames = 0;
  /** Times the picture was lost and the measurement restarted from a new frame (the turn in between is not counted). */
  gaps = 0;

  constructor(options: RoomScanOptions = {}) {
    const fov = options.fovDeg ?? DEFAULT_FOV_DEG;
    if (!(fov > 10 && fov < 170)) throw new Error(`room scan: field of view ${fov}° is not a camera's`);
    this.degPerPx = fov / WORK_WIDTH;
    this.toleranceDeg = options.toleranceDeg ?? COVERAGE_TOLERANCE_DEG;
  }

  /** Span of headings visited, degrees; once complete, rescaled so the whole turn measures 360°. */
  get coverageDeg(): number {
    return (this.maxHeading - this.minHeading) * this.turnScale;
  }

  /** The field of view the completed turn implies (the assumed one while not complete). */
  get fovDeg(): number {
    return this.degPerPx * WORK_WIDTH * this.turnScale;
  }

  get complete(): boolean {
    return this.done;
  }

  feed(frame: RgbaFrame, tMs: number): RoomScanReading {
    this.frames++;
    const sig = signatureOf(frame);
    if (this.done) return this.reading('complete', null);
    if (!this.start) {
      if (sig.texture < MIN_TEXTURE) return this.reading('low_texture', null);
      this.start = sig;
      this.key = sig;
      this.lastGood = { t: tMs, heading: 0 };
      this.usedFrames++;
      return this.reading('start', 0);
    }
    if (sig.texture < MIN_TEXTURE) return this.unusable('low_texture', null);
    const key = this.key!;
    // After unusable frames (a blank stretch of wall, say) the view has gone on turning: look
    // further ahead and wider, and accept a narrower overlap; the match error still decides.
    const ahead = this.lost + 1;
    const predicted = this.lastDx + this.velocityPx * ahead;
    const range = Math.min(REACQUIRE_MAX_PX, 2 * SEARCH_COARSE + Math.abs(this.velocityPx) * this.lost);
    const m = matchShift(key, sig, predicted, range, this.lost > 0 ? REACQUIRE_OVERLAP : 0.5);
    if (!matches(m)) {
      if (this.lost + 1 >= LOST_AFTER) {
        // Lost: start again from this frame, at the last known heading (the gap is not counted).
        this.gaps++;
        this.key = sig;
        this.keyHeading = this.heading;
        this.lastDx = 0;
        this.velocityPx = 0;
        this.lost = 0;
        this.lastGood = { t: tMs, heading: this.heading };
        return this.reading('too_different', m.error, true);
      }
      return this.unusable('too_different', m.error);
    }
    this.lost = 0;
    this.usedFrames++;
    this.velocityPx = (m.dx - this.lastDx) / ahead;
    this.lastDx = m.dx;
    this.heading = this.keyHeading + m.dx * this.degPerPx;
    this.minHeading = Math.min(this.minHeading, this.heading);
    this.maxHeading = Math.max(this.maxHeading, this.heading);
    if (this.lastGood && tMs > this.lastGood.t) {
      const instant = (Math.abs(this.heading - this.lastGood.heading) * 1000) / (tMs - this.lastGood.t);
      this.speed = this.speed === 0 ? instant : 0.6 * this.speed + 0.4 * instant;
    }
    this.lastGood = { t: tMs, heading: this.heading };
    if (Math.abs(m.dx) >= WORK_WIDTH * REKEY_FRACTION) {
      this.key = sig;
      this.keyHeading = this.heading;
      this.lastDx = 0;
    }
    this.checkReturn(sig);
    return this.reading(this.done ? 'complete' : 'ok', m.error);
  }

  /**
   * Back at the first view? Looked for in two places: near heading 0 (the camera came back the
   * way it went: a return, but no full turn) and anywhere from FULL_TURN_MIN_DEG of measured
   * heading on (where a whole turn can end with a plausible lens, or a later lap). There the first view is
   * searched across the whole width; once it is centred again (within RETURN_ALIGN_DEG) the turn
   * is complete, and the heading where it lines up exactly is what 360° measures with this
   * camera: the coverage is rescaled by that (it calibrates the assumed field of view).
   */
  private checkReturn(sig: Signature): void {
    if (this.coverageDeg < LEAVE_DEG) return;
    const start = this.start!;
    const h = this.heading;
    if (Math.abs(h) <= RETURN_WINDOW_DEG) {
      const m = matchShift(start, sig, h / this.degPerPx, RETURN_WINDOW_DEG / this.degPerPx);
      if (matches(m)) this.returned = true;
      return;
    }
    const turn = Math.abs(h);
    if (turn < FULL_TURN_MIN_DEG) return;
    const m = matchShift(start, sig, 0, WORK_WIDTH / 2);
    if (!matches(m) || Math.abs(m.dx * this.degPerPx) > RETURN_ALIGN_DEG) return;
    this.returned = true;
    // The heading at which the first view lines up exactly: one whole turn, as this camera measures it.
    const measuredTurn = turn - Math.sign(h) * m.dx * this.degPerPx;
    // Calibrate only a single, unbroken turn. After a gap the measured turn lacks an unknown part,
    // which must not pass for a wider lens, and beyond FULL_TURN_MAX_DEG it may be a second lap:
    // then the coverage may only shrink, never grow (a turn cut short by a gap completes on the
    // next lap, once the measured coverage itself is a full circle).
    const calibrate = this.gaps === 0 && turn <= FULL_TURN_MAX_DEG;
    const scale = calibrate ? 360 / measuredTurn : Math.min(1, 360 / measuredTurn);
    if (this.coverageDeg * scale >= 360 - this.toleranceDeg) {
      this.done = true;
      this.turnScale = scale;
    }
  }

  private unusable(status: ScanFrameStatus, error: number | null): RoomScanReading {
    this.lost++;
    return this.reading(status, error, status === 'too_different');
  }

  private reading(status: ScanFrameStatus, error: number | null, tooDifferent = false): RoomScanReading {
    return {
      headingDeg: this.heading,
      coverageDeg: this.coverageDeg,
      complete: this.done,
      returnedToStart: this.returned,
      status,
      speedDegS: this.speed,
      tooFast: tooDifferent || this.speed > MAX_SPEED_DEG_S,
      matchError: error,
      gaps: this.gaps,
    };
  }
}
