import { describe, expect, it } from 'vitest';
import { clientEventSchema } from '../shared/protocol';
import { RequestError } from '../session/candidate-connection';
import { CLIENT_ERROR_REPEAT_MS, clientErrorReporter, errorCode, type ClientErrorData } from './client-errors';

describe('client errors', () => {
  it('reports what failed, with its code and message, as an event the centre accepts', () => {
    const logged: ClientErrorData[] = [];
    const report = clientErrorReporter(
      (d) => logged.push(d),
      () => 1000,
    );
    report('navigate', new RequestError('timeout', 'no answer within 8000 ms'));
    report('incident_report', new Error('x'.repeat(400)));
    report('submit', new RequestError('conflict', 'the exam is over'));
    expect(logged).toEqual([
      { operation: 'navigate', code: 'timeout', message: 'no answer within 8000 ms' },
      { operation: 'incident_report', code: 'error', message: 'x'.repeat(300) },
      { operation: 'submit', code: 'conflict', message: 'the exam is over' },
    ]);
    for (const data of logged)
      expect(clientEventSchema.safeParse({ seq: 1, id: 'event-0001', type: 'client.error', at: 1, data }).success).toBe(true);
  });

  it('does not repeat the disconnection the centre logs itself', () => {
    const logged: ClientErrorData[] = [];
    clientErrorReporter((d) => logged.push(d))('live_video', new RequestError('offline', 'not connected'));
    expect(logged).toEqual([]);
  });

  it('reports the same failure at most once a minute, a different one at once', () => {
    let t = 0;
    const logged: ClientErrorData[] = [];
    const report = clientErrorReporter(
      (d) => logged.push(d),
      () => t,
    );
    for (t = 0; t < 3 * CLIENT_ERROR_REPEAT_MS; t += 1000) report('navigate', new RequestError('timeout', 'slow'));
    report('navigate', new RequestError('invalid', 'bad index'));
    expect(logged.map((d) => d.code)).toEqual(['timeout', 'timeout', 'timeout', 'invalid']);
  });

  it('refuses an odd code in the event, so the log keeps only codes', () => {
    expect(errorCode({ code: 'Not A Code!' })).toBe('error');
    expect(errorCode(null)).toBe('error');
    expect(
      clientEventSchema.safeParse({
        seq: 1,
        id: 'event-0001',
        type: 'client.error',
        at: 1,
        data: { operation: 'nope', code: 'error', message: '' },
      }).success,
    ).toBe(false);
  });
});
