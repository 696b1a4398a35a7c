/**
 * Who watches whom, live: the cards each proctor has on screen (thumbnails every
 * 4 s), the candidate a proctor has drilled into (thumbnails and signals every second), and the
 * one live camera per candidate (WebRTC signalling relayed between the two browsers; the media
 * goes browser to browser, never through the centre).
 *
 * In memory: it describes open sockets, which a restart closes anyway. On several nodes every node
 * keeps a replica: each change is applied here and sent to the others (`peers`, socket.io's serverSideEmit), so
 * the node a candidate is connected to knows who watches them, wherever the proctor is connected. Thumbnails
 * and signals are not stored (they are a view, not evidence; the recording is the evidence).
 */
import { DETAIL_INTERVAL_MS, THUMB_INTERVAL_MS, type SignalSample, type StaffActor, type ThumbRequest } from '../shared/control-room';

/** Signals kept per drilled-into candidate for a drill-down that opens later (about two minutes at 1 Hz batches). */
export const SIGNAL_HISTORY = 240;

export interface WatchSink {
  /** Tell the candidate's browser how often to send thumbnails (0: stop). */
  request(sessionId: string, request: ThumbRequest): void;
}

export interface LiveView {
  staffSocketId: string;
  by: StaffActor;
  openedAt: number;
}

/** A change to the replica, as sent between nodes. */
export type WatchChange =
  | { op: 'watch'; staffSocketId: string; sessionIds: string[]; detail: string | null }
  | { op: 'forget'; staffSocketId: string }
  | { op: 'open-live'; sessionId: string; view: LiveView }
  | { op: 'close-live'; sessionId: string; staffSocketId: string | null }
  | { op: 'signals'; sessionId: string; samples: SignalSample[] };

export class LiveWatch {
  /** staff socket id → its visible cards and its drill-down. */
  private readonly watchers = new Map<string, { cards: Set<string>; detail: string | null }>();
  private readonly sent = new Map<string, string>();
  private readonly lastFrame = new Map<string, number>();
  private readonly signals = new Map<string, SignalSample[]>();
  private readonly live = new Map<string, LiveView>();

  /** peers: sends a change to the other nodes (absent on one node). */
  constructor(
    private readonly sink: WatchSink,
    private readonly peers: ((change: WatchChange) => void) | null = null,
  ) {}

  /** A change made on another node. */
  apply(change: WatchChange): void {
    switch (change.op) {
      case 'watch':
        return void this.setWatch(change.staffSocketId, change.sessionIds, change.detail);
      case 'forget':
        return this.drop(change.staffSocketId);
      case 'open-live':
        return void this.live.set(change.sessionId, change.view);
      case 'close-live':
        return void this.dropLive(change.sessionId, change.staffSocketId ?? undefined);
      case 'signals':
        return this.keepSignals(change.sessionId, change.samples);
    }
  }

  /**
   * What this node's own staff sockets watch, as changes another node applies (a node that joined or
   * restarted learns the others' watchers, every node asks now and then, so the replicas mend themselves).
   */
  changesOf(staffSocketIds: ReadonlySet<string>): WatchChange[] {
    const out: WatchChange[] = [];
    for (const [staffSocketId, w] of this.watchers) {
      if (staffSocketIds.has(staffSocketId)) out.push({ op: 'watch', staffSocketId, sessionIds: [...w.cards], detail: w.detail });
    }
    for (const [sessionId, view] of this.live) if (staffSocketIds.has(view.staffSocketId)) out.push({ op: 'open-live', sessionId, view });
    return out;
  }

  /** Forgets watchers and live views of staff sockets that no node has any more (their node died). */
  prune(aliveStaffSocketIds: ReadonlySet<string>): void {
    for (const id of [...this.watchers.keys()]) if (!aliveStaffSocketIds.has(id)) this.drop(id);
    for (const [sessionId, view] of [...this.live]) if (!aliveStaffSocketIds.has(view.staffSocketId)) this.live.delete(sessionId);
  }

  /** What a candidate's browser should do now. */
  requestFor(sessionId: string): ThumbRequest {
    let cards = 0;
    let detail = 0;
    for (const w of this.watchers.values()) {
      if (w.detail === sessionId) detail++;
      else if (w.cards.has(sessionId)) cards++;
    }
    if (detail > 0) return { intervalMs: DETAIL_INTERVAL_MS, signals: true };
    return { intervalMs: cards > 0 ? THUMB_INTERVAL_MS : 0, signals: false };
  }

  /** A proctor's socket reports its visible cards and drill-down; candidates whose request changed are told. */
  watch(staffSocketId: string, sessionIds: readonly string[], detail: string | null): number {
    this.peers?.({ op: 'watch', staffSocketId, sessionIds: [...sessionIds], detail });
    return this.setWatch(staffSocketId, sessionIds, detail);
  }

  private setWatch(staffSocketId: string, sessionIds: readonly string[], detail: string | null): number {
    const before = this.watchers.get(staffSocketId);
    const affected = new Set<string>([
      ...(before?.cards ?? []),
      ...(before?.detail ? [before.detail] : []),
      ...sessionIds,
      ...(detail ? [detail] : []),
    ]);
    this.watchers.set(staffSocketId, { cards: new Set(sessionIds), detail });
    this.notify(affected);
    return sessionIds.length;
  }

  /** A proctor's socket went away. */
  forget(staffSocketId: string): void {
    this.peers?.({ op: 'forget', staffSocketId });
    this.drop(staffSocketId);
  }

  private drop(staffSocketId: string): void {
    const before = this.watchers.get(staffSocketId);
    if (!before) return;
    this.watchers.delete(staffSocketId);
    this.notify(new Set([...before.cards, ...(before.detail ? [before.detail] : [])]));
  }

  private notify(sessionIds: Set<string>): void {
    for (const id of sessionIds) {
      const request = this.requestFor(id);
      const key = `${request.intervalMs}/${request.signals}`;
      if (this.sent.get(id) === key) continue;
      this.sent.set(id, key);
      if (request.intervalMs === 0) {
        this.sent.delete(id);
        this.signals.delete(id);
      }
      this.sink.request(id, request);
    }
  }

  /** A candidate (re)connected: it starts from nothing, so it is told afresh. */
  candidateConnected(sessionId: string): ThumbRequest {
    const request = this.requestFor(sessionId);
    if (request.intervalMs > 0) this.sent.set(sessionId, `${request.intervalMs}/${request.signals}`);
    return request;
  }

  /** Staff sockets that should get this candidate's thumbnail / signals. */
  thumbWatchers(sessionId: string): string[] {
    return [...this.watchers].filter(([, w]) => w.detail === sessionId || w.cards.has(sessionId)).map(([id]) => id);
  }
  detailWatchers(sessionId: string): string[] {
    return [...this.watchers].filter(([, w]) => w.detail === sessionId).map(([id]) => id);
  }

  /**
   * Whether a frame from this candidate is welcome now: someone watches, and it does not come
   * faster than half the interval asked for (the centre enforces the rate, not the browser).
   */
  acceptFrame(sessionId: string, now: number): boolean {
    const { intervalMs } = this.requestFor(sessionId);
    if (intervalMs === 0) return false;
    const last = this.lastFrame.get(sessionId);
    if (last !== undefined && now - last < intervalMs / 2) return false;
    this.lastFrame.set(sessionId, now);
    return true;
  }

  addSignals(sessionId: string, samples: readonly SignalSample[]): void {
    if (samples.length === 0) return;
    this.peers?.({ op: 'signals', sessionId, samples: [...samples] });
    this.keepSignals(sessionId, samples);
  }

  private keepSignals(sessionId: string, samples: readonly SignalSample[]): void {
    const kept = [...(this.signals.get(sessionId) ?? []), ...samples].slice(-SIGNAL_HISTORY);
    this.signals.set(sessionId, kept);
  }

  recentSignals(sessionId: string): SignalSample[] {
    return this.signals.get(sessionId) ?? [];
  }

  /* ---- live camera: one viewer per candidate ---- */

  openLive(sessionId: string, view: LiveView): LiveView | null {
    const previous = this.live.get(sessionId) ?? null;
    this.live.set(sessionId, view);
    this.peers?.({ op: 'open-live', sessionId, view });
    return previous && previous.staffSocketId !== view.staffSocketId ? previous : null;
  }
  liveViewer(sessionId: string): LiveView | null {
    return this.live.get(sessionId) ?? null;
  }
  closeLive(sessionId: string, staffSocketId?: string): LiveView | null {
    const view = this.dropLive(sessionId, staffSocketId);
    if (view) this.peers?.({ op: 'close-live', sessionId, staffSocketId: staffSocketId ?? null });
    return view;
  }

  private dropLive(sessionId: string, staffSocketId?: string): LiveView | null {
    const view = this.live.get(sessionId);
    if (!view || (staffSocketId && view.staffSocketId !== staffSocketId)) return null;
    this.live.delete(sessionId);
    return view;
  }
  /** The live views a staff socket held (it disconnected). */
  liveViewsOf(staffSocketId: string): string[] {
    return [...this.live].filter(([, v]) => v.staffSocketId === staffSocketId).map(([id]) => id);
  }
}
