/** What the control room's parts share: the live socket, the staff token, and the relay of live-camera signals. */
import { createContext, useContext } from 'react';
import { create } from 'zustand';
import type { StaffLink } from '../session/staff-api';
import type { RtcSignal } from '../shared/control-room';

export type LiveMessage = { kind: 'signal'; signal: RtcSignal } | { kind: 'closed'; reason: string };

/** One listener per candidate (one open drill-down has one peer connection). */
export class LiveBus {
  private readonly listeners = new Map<string, (m: LiveMessage) => void>();
  listen(sessionId: string, fn: (m: LiveMessage) => void): () => void {
    this.listeners.set(sessionId, fn);
    return () => {
      if (this.listeners.get(sessionId) === fn) this.listeners.delete(sessionId);
    };
  }
  deliver(sessionId: string, message: LiveMessage): void {
    this.listeners.get(sessionId)?.(message);
  }
}

export interface ControlRoom {
  link: StaffLink | null;
  token: string;
  bus: LiveBus;
  /** Drill into a candidate (null: back to the cards). */
  openDetail(sessionId: string | null): void;
}

export const ControlRoomContext = createContext<ControlRoom | null>(null);

export function useControlRoom(): ControlRoom {
  const room = useContext(ControlRoomContext);
  if (!room) throw new Error('useControlRoom outside the control room');
  return room;
}

/** One clock for every card's countdown: one timer, not one per card. */
export const useTick = create<{ now: number }>(() => ({ now: Date.now() }));
let ticking = 0;
let timer: ReturnType<typeof setInterval> | null = null;
export function startTicking(): () => void {
  if (ticking++ === 0) timer = setInterval(() => useTick.setState({ now: Date.now() }), 1_000);
  return () => {
    if (--ticking === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}
