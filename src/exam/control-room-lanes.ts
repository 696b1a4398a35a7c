/**
 * What the proctor's control room asks of the candidate's browser, built by the candidate runtime:
 * - live thumbnails, sent volatile (dropped when the link is busy, never queued in the outbox);
 * - the readings for the proctor's charts, fed by the engine only while a proctor asks for them;
 * - the whole session's signals, one aggregate per second, logged in batches for the reviewer's charts;
 * - the live camera (WebRTC) to the proctor who opened it.
 */
import type { Camera } from '../devices/camera';
import type { Microphone } from '../devices/microphone';
import type { CandidateConnection } from '../session/candidate-connection';
import { LiveCamera } from '../session/live-camera';
import { SignalRing } from '../session/signal-samples';
import { SignalSeconds, TeeSink } from '../session/signal-seconds';
import { ThumbnailLane } from '../session/thumbnail-lane';
import type { ThumbRequest } from '../shared/control-room';
import type { ClientEventData } from '../shared/protocol';
import { encodeSeconds } from '../shared/signal-seconds';
import { examStore } from '../stores/exam-store';
import type { ReportFailure } from './client-errors';
import type { ProctoringEngine } from './proctoring-engine';

export interface ControlRoomLaneDeps {
  engine: ProctoringEngine;
  camera: Camera;
  microphone: Microphone;
  connection(): CandidateConnection | null;
  /** A batch of per-second signals for the log (the runtime drops it once the exam has ended). */
  logSeconds(data: ClientEventData['signals.seconds']): void;
  examRunning(): boolean;
  reportFailure: ReportFailure;
}

export function createControlRoomLanes(deps: ControlRoomLaneDeps) {
  const { engine, camera, microphone, connection } = deps;
  const signalRing = new SignalRing();
  const signalSeconds = new SignalSeconds((samples) => deps.logSeconds(encodeSeconds(samples)));
  const signalTee = new TeeSink(signalSeconds);
  engine.signalSink = signalTee;
  const thumbnails = new ThumbnailLane({
    stream: () => camera.mediaStream,
    send: (frame) => void connection()?.volatile('thumb:frame', frame),
    samples: () => signalRing.drain(),
    collectSignals: (on) => {
      signalRing.reset();
      signalTee.ring = on ? signalRing : null;
    },
  });
  /** The centre's last request for thumbnails: kept so the lane starts again when the devices come back on. */
  let thumbRequest: ThumbRequest = { intervalMs: 0, signals: false };
  const live = new LiveCamera({
    send: (signal) =>
      void connection()
        ?.request('live:signal', { signal })
        .catch((e: unknown) => deps.reportFailure('live_video', e)),
    camera: () => camera.mediaStream,
    microphone: () => microphone.mediaStream,
    watching: (on) => examStore.setState({ liveWatching: on }),
  });

  return {
    signalSeconds,
    live,
    /** The proctor's requests on a new link. */
    listen(link: CandidateConnection): void {
      link.on('thumbs:set', (request) => {
        thumbRequest = request;
        if (request.intervalMs > 0 && deps.examRunning()) thumbnails.set(request);
        else thumbnails.stop();
      });
      link.on('live:start', (request) => {
        if (deps.examRunning()) void live.start(request.iceServers ?? []);
      });
      link.on('live:signal', (signal) => void live.signal(signal));
      link.on('live:stop', () => live.stop());
    },
    /** Thumbnails asked for earlier start now, if the camera is on and the exam runs. */
    resumeThumbnails(): void {
      if (thumbRequest.intervalMs > 0 && camera.mediaStream && deps.examRunning() && !thumbnails.running) thumbnails.set(thumbRequest);
    },
    stop(): void {
      thumbnails.stop();
      live.stop();
    },
  };
}
