/** The server's notion of now, injected so timers and deadlines are testable. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };
