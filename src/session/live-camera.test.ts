import { describe, expect, it } from 'vitest';
import { rtcSignalSchema, type RtcSignal } from '../shared/control-room';
import { candidateSignal, LiveCamera } from './live-camera';

/** Just enough of RTCPeerConnection to follow what the module does with it. */
class FakePeer {
  tracks: string[] = [];
  remote: RTCSessionDescriptionInit | null = null;
  localDescription: { sdp: string } | null = null;
  candidates: RTCIceCandidateInit[] = [];
  closed = false;
  connectionState = 'new';
  onicecandidate: ((e: { candidate: { candidate: string; toJSON(): RTCIceCandidateInit } | null }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  constructor(readonly config: RTCConfiguration) {}
  get remoteDescription() {
    return this.remote;
  }
  addTrack(track: { kind: string }) {
    this.tracks.push(track.kind);
  }
  async createOffer() {
    return { type: 'offer', sdp: 'v=0 offer' };
  }
  async setLocalDescription(d: { sdp: string }) {
    this.localDescription = { sdp: d.sdp };
  }
  async setRemoteDescription(d: RTCSessionDescriptionInit) {
    this.remote = d;
  }
  async addIceCandidate(c: RTCIceCandidateInit) {
    this.candidates.push(c);
  }
  close() {
    this.closed = true;
  }
}

const track = (kind: string, readyState = 'live') => ({
  kind,
  readyState,
  stop: () => {
    throw new Error('a track must never be stopped here');
  },
});
const stream = (tracks: ReturnType<typeof track>[]) =>
  ({
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
  }) as unknown as MediaStream;

function setUp(camera: MediaStream | null = stream([track('video')]), microphone: MediaStream | null = stream([track('audio')])) {
  const sent: RtcSignal[] = [];
  const watching: boolean[] = [];
  const peers: FakePeer[] = [];
  const live = new LiveCamera({
    send: (s) => sent.push(s),
    camera: () => camera,
    microphone: () => microphone,
    watching: (on) => watching.push(on),
    createPeer: (config) => {
      const peer = new FakePeer(config);
      peers.push(peer);
      return peer as unknown as RTCPeerConnection;
    },
  });
  return { live, sent, watching, peers };
}

describe('LiveCamera', () => {
  it('offers the camera and microphone tracks with the centre’s ICE servers, and says the proctor is watching', async () => {
    const { live, sent, watching, peers } = setUp();
    await live.start([{ urls: 'stun:stun.example.kz:3478' }]);
    expect(peers[0]!.config.iceServers).toEqual([{ urls: 'stun:stun.example.kz:3478' }]);
    expect(peers[0]!.tracks).toEqual(['video', 'audio']);
    expect(sent).toEqual([{ description: { type: 'offer', sdp: 'v=0 offer' } }]);
    expect(watching).toEqual([true]);
    for (const s of sent) expect(rtcSignalSchema.safeParse(s).success).toBe(true);
  });

  it('sends its ICE candidates in the relayed shape; applies the answer, and candidates that came before it', async () => {
    const { live, sent, peers } = setUp();
    await live.start([]);
    const peer = peers[0]!;
    peer.onicecandidate!({
      candidate: {
        candidate: 'candidate:1 1 udp 1 10.0.0.2 5000 typ host',
        toJSON: () => ({ candidate: 'candidate:1 1 udp 1 10.0.0.2 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 }),
      },
    });
    peer.onicecandidate!({ candidate: null });
    expect(sent[1]).toEqual({
      candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.2 5000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null },
    });
    expect(rtcSignalSchema.safeParse(sent[1]).success).toBe(true);
    expect(sent).toHaveLength(2);

    await live.signal({ candidate: { candidate: 'candidate:early' } });
    expect(peer.candidates).toEqual([]);
    await live.signal({ description: { type: 'answer', sdp: 'v=0 answer' } });
    expect(peer.remote).toEqual({ type: 'answer', sdp: 'v=0 answer' });
    await live.signal({ candidate: { candidate: 'candidate:late' } });
    expect(peer.candidates.map((c) => c.candidate)).toEqual(['candidate:early', 'candidate:late']);
  });

  it('live:stop closes the connection, never the tracks', async () => {
    const { live, watching, peers } = setUp();
    await live.start([]);
    live.stop();
    live.stop();
    expect(peers[0]!.closed).toBe(true);
    expect(live.active).toBe(false);
    expect(watching).toEqual([true, false]);
  });

  it('a second live:start replaces the first connection', async () => {
    const { live, peers } = setUp();
    await live.start([]);
    await live.start([]);
    expect(peers).toHaveLength(2);
    expect(peers[0]!.closed).toBe(true);
    expect(peers[1]!.closed).toBe(false);
  });

  it('with the devices off there is nothing to offer', async () => {
    const { live, sent, peers, watching } = setUp(null, stream([track('audio', 'ended')]));
    await live.start([]);
    expect(peers).toHaveLength(0);
    expect(sent).toEqual([]);
    expect(watching).toEqual([]);
  });

  it('candidateSignal keeps only the relayed keys', () => {
    expect(candidateSignal({ candidate: 'c', sdpMid: null })).toEqual({
      candidate: { candidate: 'c', sdpMid: null, sdpMLineIndex: null, usernameFragment: null },
    });
  });
});
