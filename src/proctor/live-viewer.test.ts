import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StaffLink } from '../session/staff-api';
import { LiveViewer } from './live-viewer';

class FakePc {
  static last: FakePc | null = null;
  remoteDescription: unknown = null;
  added: unknown[] = [];
  closed = false;
  ontrack: ((e: unknown) => void) | null = null;
  onicecandidate: ((e: unknown) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  connectionState = 'new';
  constructor(readonly config: unknown) {
    FakePc.last = this;
  }
  async setRemoteDescription(d: unknown) {
    this.remoteDescription = d;
  }
  async createAnswer() {
    return { type: 'answer', sdp: 'v=0 answer' };
  }
  async setLocalDescription() {}
  async addIceCandidate(c: unknown) {
    this.added.push(c);
  }
  close() {
    this.closed = true;
  }
}

function fakeLink() {
  const sent: Array<[string, unknown]> = [];
  const link: StaffLink = {
    close() {},
    send: (async (event: string, payload: unknown) => {
      sent.push([event, payload]);
      return event === 'live:open' ? { iceServers: [{ urls: 'stun:example.org' }] } : { ok: true };
    }) as StaffLink['send'],
  };
  return { link, sent };
}

afterEach(() => vi.unstubAllGlobals());

describe('the live camera viewer', () => {
  it('answers the candidate’s offer, applies early candidates after it, sends its own, and closes', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePc);
    const { link, sent } = fakeLink();
    const states: string[] = [];
    const viewer = new LiveViewer(link, 'sid', { stream: () => undefined, state: (s) => states.push(s) });
    await viewer.open();
    const pc = FakePc.last!;
    expect(pc.config).toEqual({ iceServers: [{ urls: 'stun:example.org' }] });
    await viewer.handle({ candidate: { candidate: 'candidate:1 early', sdpMid: '0', sdpMLineIndex: 0 } });
    expect(pc.added).toHaveLength(0); // waits for the offer
    await viewer.handle({ description: { type: 'offer', sdp: 'v=0 offer' } });
    expect(sent).toContainEqual(['live:signal', { sessionId: 'sid', signal: { description: { type: 'answer', sdp: 'v=0 answer' } } }]);
    expect(pc.added).toHaveLength(1);
    await viewer.handle({ candidate: { candidate: 'candidate:2 late' } });
    expect(pc.added).toHaveLength(2);
    pc.onicecandidate!({ candidate: { toJSON: () => ({ candidate: 'candidate:3 mine', sdpMid: '0', sdpMLineIndex: 0 }) } });
    expect(sent.at(-1)).toEqual([
      'live:signal',
      { sessionId: 'sid', signal: { candidate: { candidate: 'candidate:3 mine', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null } } },
    ]);
    viewer.close();
    expect(pc.closed).toBe(true);
    expect(sent.at(-1)).toEqual(['live:close', { sessionId: 'sid' }]);
    expect(states[0]).toBe('connecting');
  });

  it('ends when the centre says the exam ended, without sending live:close', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePc);
    const { link, sent } = fakeLink();
    const states: string[] = [];
    const viewer = new LiveViewer(link, 'sid', { stream: () => undefined, state: (s) => states.push(s) });
    await viewer.open();
    viewer.ended('exam ended');
    viewer.close();
    expect(states.at(-1)).toBe('ended');
    expect(sent.map(([e]) => e)).toEqual(['live:open']);
  });
});
