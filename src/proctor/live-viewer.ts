/**
 * The live camera of one candidate, for one open drill-down: the centre relays the WebRTC
 * signalling, the media goes straight between the two browsers (no media server).
 *
 *   proctor: 'live:open' → { iceServers }        candidate: gets 'live:start', creates the offer
 *   candidate's offer and ICE candidates arrive as 'live:signal' pushes → handle()
 *   proctor: setRemoteDescription(offer), createAnswer, sends the answer and its own candidates
 *   'live:close' (close()) ends it; 'live:closed' (the exam ended) arrives as ended().
 */
import type { StaffLink } from '../session/staff-api';
import type { RtcSignal } from '../shared/control-room';

export type LiveState = 'idle' | 'connecting' | 'live' | 'ended' | 'failed';

export interface LiveViewerEvents {
  stream(stream: MediaStream | null): void;
  state(state: LiveState, detail?: string): void;
}

/** Candidates arriving before the offer wait here; bounded (a normal exchange has a handful). */
const MAX_PENDING_CANDIDATES = 50;

export class LiveViewer {
  private pc: RTCPeerConnection | null = null;
  private pending: RTCIceCandidateInit[] = [];
  /**
   * Signals that arrive before 'live:open' is acknowledged: the centre tells the candidate first,
   * so the candidate's offer can overtake the ack. Handled in order once the connection exists.
   */
  private beforeOpen: RtcSignal[] = [];
  private remote: MediaStream | null = null;
  private closed = false;

  constructor(
    private readonly link: StaffLink,
    readonly sessionId: string,
    private readonly on: LiveViewerEvents,
  ) {}

  async open(): Promise<void> {
    this.on.state('connecting');
    try {
      const { iceServers } = await this.link.send('live:open', { sessionId: this.sessionId });
      if (this.closed) return;
      const pc = new RTCPeerConnection({ iceServers: iceServers as RTCIceServer[] });
      this.pc = pc;
      // The camera and the microphone come as two tracks (from two streams on the candidate's side): one stream here.
      pc.ontrack = (e) => {
        this.remote = new MediaStream([...(this.remote?.getTracks() ?? []), e.track]);
        this.on.stream(this.remote);
      };
      pc.onicecandidate = (e) => {
        if (!e.candidate) return;
        const c = e.candidate.toJSON();
        this.send({
          candidate: {
            candidate: c.candidate ?? '',
            sdpMid: c.sdpMid ?? null,
            sdpMLineIndex: c.sdpMLineIndex ?? null,
            usernameFragment: c.usernameFragment ?? null,
          },
        });
      };
      pc.onconnectionstatechange = () => {
        if (this.closed) return;
        if (pc.connectionState === 'connected') this.on.state('live');
        else if (pc.connectionState === 'failed') this.on.state('failed');
      };
      for (const signal of this.beforeOpen.splice(0)) await this.handle(signal);
    } catch (e) {
      this.on.state('failed', e instanceof Error ? e.message : String(e));
    }
  }

  /** A relayed 'live:signal' for this candidate. */
  async handle(signal: RtcSignal): Promise<void> {
    const pc = this.pc;
    if (this.closed) return;
    if (!pc) {
      if (this.beforeOpen.length < MAX_PENDING_CANDIDATES) this.beforeOpen.push(signal);
      return;
    }
    try {
      if ('description' in signal) {
        if (signal.description.type !== 'offer') return;
        await pc.setRemoteDescription(signal.description);
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        this.send({ description: { type: 'answer', sdp: answer.sdp ?? '' } });
        // One bad candidate address: the connection goes on with the others (its state is shown).
        for (const c of this.pending.splice(0)) await pc.addIceCandidate(c).catch(() => undefined);
      } else {
        const c: RTCIceCandidateInit = {
          candidate: signal.candidate.candidate,
          sdpMid: signal.candidate.sdpMid ?? null,
          sdpMLineIndex: signal.candidate.sdpMLineIndex ?? null,
          usernameFragment: signal.candidate.usernameFragment ?? null,
        };
        // One bad candidate address: the connection goes on with the others (its state is shown).
        if (pc.remoteDescription) await pc.addIceCandidate(c).catch(() => undefined);
        else if (this.pending.length < MAX_PENDING_CANDIDATES) this.pending.push(c);
      }
    } catch (e) {
      this.on.state('failed', e instanceof Error ? e.message : String(e));
    }
  }

  /** The centre says it is over (the exam ended, or the candidate left). */
  ended(reason: string): void {
    this.teardown();
    this.on.state('ended', reason);
  }

  /** The proctor closes it (or leaves the drill-down). */
  close(): void {
    if (this.closed) return;
    const wasOpen = this.pc !== null;
    this.teardown();
    // Closing: the candidate's side also stops when the proctor's link drops.
    if (wasOpen) void this.link.send('live:close', { sessionId: this.sessionId }).catch(() => undefined);
  }

  private send(signal: RtcSignal): void {
    // A lost connection message shows as the live view's own 'connection failed' state.
    void this.link.send('live:signal', { sessionId: this.sessionId, signal }).catch(() => undefined);
  }

  private teardown(): void {
    this.closed = true;
    this.pending = [];
    this.beforeOpen = [];
    this.remote = null;
    if (this.pc) {
      this.pc.ontrack = null;
      this.pc.onicecandidate = null;
      this.pc.onconnectionstatechange = null;
      this.pc.close();
      this.pc = null;
    }
    this.on.stream(null);
  }
}
