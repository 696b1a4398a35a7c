/**
 * The live camera: when a proctor opens the candidate's live view, the centre sends
 * 'live:start' with the ICE servers; this browser offers a WebRTC connection (no media server)
 * carrying the camera's video track and the microphone's audio track as they are (the streams
 * belong to devices/; they are never stopped or re-acquired here), and exchanges the offer, the
 * answer and ICE candidates through the centre ('live:signal'). 'live:stop', the end of the exam
 * or the devices stopping close the connection; the tracks stay on for proctoring and recording.
 * Everything it needs comes in as arguments; nothing runs at import time.
 */
import type { IceServer, RtcSignal } from '../shared/control-room';

export interface LiveCameraDeps {
  /** 'live:signal' to the proctor, through the centre. */
  send(signal: RtcSignal): void;
  camera(): MediaStream | null;
  microphone(): MediaStream | null;
  /** The candidate is told while the proctor watches. */
  watching(on: boolean): void;
  /** For tests and other browsers; the real RTCPeerConnection by default. */
  createPeer?(config: RTCConfiguration): RTCPeerConnection;
}

/** An ICE candidate in the shape the centre relays (its schema is strict: these keys only). */
export function candidateSignal(c: RTCIceCandidateInit): RtcSignal {
  return {
    candidate: {
      candidate: c.candidate ?? '',
      sdpMid: c.sdpMid ?? null,
      sdpMLineIndex: c.sdpMLineIndex ?? null,
      usernameFragment: c.usernameFragment ?? null,
    },
  };
}

export class LiveCamera {
  private peer: RTCPeerConnection | null = null;
  /** Candidates that came before the proctor's answer: applied once it is set. */
  private early: RTCIceCandidateInit[] = [];

  constructor(private readonly deps: LiveCameraDeps) {}

  get active(): boolean {
    return this.peer !== null;
  }

  /** A proctor opened the live view: offer the camera and the microphone. */
  async start(iceServers: readonly IceServer[]): Promise<void> {
    this.stop();
    const camera = this.deps.camera();
    const microphone = this.deps.microphone();
    const video = camera?.getVideoTracks().find((t) => t.readyState === 'live');
    const audio = microphone?.getAudioTracks().find((t) => t.readyState === 'live');
    if (!video && !audio) return; // devices off: nothing to show (the proctor sees the card's state)
    const config: RTCConfiguration = { iceServers: iceServers.map((s) => ({ ...s })) };
    const peer = this.deps.createPeer ? this.deps.createPeer(config) : new RTCPeerConnection(config);
    this.peer = peer;
    this.early = [];
    if (video && camera) peer.addTrack(video, camera);
    if (audio && microphone) peer.addTrack(audio, microphone);
    peer.onicecandidate = (e) => {
      if (e.candidate && e.candidate.candidate) this.deps.send(candidateSignal(e.candidate.toJSON()));
    };
    peer.onconnectionstatechange = () => {
      if (this.peer === peer && (peer.connectionState === 'failed' || peer.connectionState === 'closed')) this.stop();
    };
    this.deps.watching(true);
    try {
      const offer = await peer.createOffer();
      if (this.peer !== peer) return;
      await peer.setLocalDescription(offer);
      if (this.peer !== peer || !peer.localDescription) return;
      this.deps.send({ description: { type: 'offer', sdp: peer.localDescription.sdp } });
    } catch {
      if (this.peer === peer) this.stop();
    }
  }

  /** The proctor's answer or one of its ICE candidates. */
  async signal(signal: RtcSignal): Promise<void> {
    const peer = this.peer;
    if (!peer) return;
    try {
      if ('description' in signal) {
        if (signal.description.type !== 'answer') return; // this side always offers
        await peer.setRemoteDescription(signal.description);
        const early = this.early;
        this.early = [];
        for (const c of early) await peer.addIceCandidate(c);
      } else if (!peer.remoteDescription) this.early.push(signal.candidate);
      else await peer.addIceCandidate(signal.candidate);
    } catch {
      /* a bad candidate or answer: the connection fails by itself and the proctor can reopen it */
    }
  }

  /** Closes the connection; the camera and microphone tracks stay on. */
  stop(): void {
    const peer = this.peer;
    if (!peer) return;
    this.peer = null;
    this.early = [];
    peer.onicecandidate = null;
    peer.onconnectionstatechange = null;
    peer.close();
    this.deps.watching(false);
  }
}
