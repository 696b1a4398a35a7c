/** The candidate runtime on this browser's real devices, socket.io link, tab storage and clock (built once, by main.tsx). */
import { Camera } from '../devices/camera';
import { EnvironmentWatch } from '../devices/environment';
import { Microphone } from '../devices/microphone';
import { Recorder } from '../devices/recorder';
import { ExamScreen } from '../devices/screen';
import { CandidateConnection } from '../session/candidate-connection';
import { createCandidateRuntime, type CandidateRuntime } from './candidate-runtime';
import { evalInstrumentation, evaluating } from './eval-instrumentation';

/** This tab's sessionStorage, or null where the browser has none or refuses it. */
function tabStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export function browserCandidateRuntime(): CandidateRuntime {
  const local = typeof localStorage === 'undefined' ? null : localStorage;
  return createCandidateRuntime({
    devices: {
      camera: new Camera(),
      microphone: new Microphone(),
      screen: new ExamScreen(),
      /** Rules 2.8.5 and 14: the camera + microphone recording, from consent to the end of the exam. */
      recorder: new Recorder(),
      environment: new EnvironmentWatch(),
    },
    connection: (token, handlers) => new CandidateConnection(token, handlers),
    storage: tabStorage(),
    clock: Date.now,
    ...(local && evaluating(local) ? { instrumentation: evalInstrumentation(window, local) } : {}),
  });
}
