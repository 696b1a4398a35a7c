import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RoomScanReading } from '../proctoring/room-scan';
import { RequestError } from '../session/candidate-connection';
import type { ObjectIncident } from '../shared/incidents';
import type { RoomScanReport } from '../shared/protocol';
import type { ScanEnd, ScanOutcome, ScanView } from './room-scan-runtime';
import { latinWords, renderScreen } from './screen-test-kit';
import { testSnapshot } from './test-snapshot';
import { RoomScanStep } from './RoomScanStep';

const NOT_SCANNED = testSnapshot().prestart;
const state = {
  snapshot: testSnapshot({ prestart: { ...NOT_SCANNED, roomScan: null } }),
  camera: 'on' as const,
  microphone: 'on' as const,
};

function reading(coverageDeg: number, over: Partial<RoomScanReading> = {}): RoomScanReading {
  return {
    headingDeg: coverageDeg,
    coverageDeg,
    complete: false,
    returnedToStart: false,
    status: 'ok',
    speedDegS: 20,
    tooFast: false,
    matchError: 0.1,
    gaps: 0,
    ...over,
  };
}

function report(coverageDeg: number, complete: boolean): RoomScanReport {
  return { coverageDeg, complete, returnedToStart: complete, durationMs: 20_000, frames: 200, recordingSeq: null };
}

/** The scan as the test drives it: each reading shown as the runtime would, and the attempt ended when the test says. */
function drivenScan() {
  let show: ((v: ScanView) => void) | null = null;
  let finish: ((o: ScanOutcome) => void) | null = null;
  let aborted: AbortSignal | null = null;
  return {
    runRoomScan: (onView: (v: ScanView) => void, signal: AbortSignal) => {
      show = onView;
      aborted = signal;
      return new Promise<ScanOutcome>((resolve) => (finish = resolve));
    },
    view: (r: RoomScanReading, objects: ObjectIncident[] = []) => act(() => show!({ reading: r, objects, elapsedMs: 5_000 })),
    end: (end: ScanEnd, r: RoomScanReport) => act(async () => finish!({ end, report: r })),
    signal: () => aborted,
  };
}

describe('the 360° room scan step (rule 2.8.3)', () => {
  it('the ring follows the turn, says when it goes too fast, names a forbidden object seen, and a full turn is sent and done', async () => {
    const user = userEvent.setup();
    const scan = drivenScan();
    const { t, argsOf, container } = renderScreen(<RoomScanStep />, { state, answers: { roomScan: { runRoomScan: scan.runRoomScan } } });
    await user.click(screen.getByRole('button', { name: t('roomScan.start') }));
    const ring = screen.getByRole('progressbar', { name: t('roomScan.ring') });
    await scan.view(reading(100, { tooFast: true }));
    expect(ring.getAttribute('aria-valuenow')).toBe('27');
    expect(ring.getAttribute('aria-valuetext')).toBe(t('roomScan.degrees', { deg: 100 }));
    expect(screen.getByTestId('room-scan-milestone').textContent).toBe(t('roomScan.milestone', { percent: 25 }));
    expect(screen.getByTestId('room-scan-notice').textContent).toBe(t('roomScan.tooFast'));
    // Rule 12: the phone on the desk is named to the candidate at once.
    await scan.view(reading(200), ['object.phone']);
    expect(screen.queryByTestId('room-scan-notice')).toBeNull();
    expect(screen.getByTestId('room-scan-objects').textContent).toBe(t('roomScan.objects', { objects: t('roomScan.object.phone') }));
    // Never more than was seen, and 100% only when the turn is complete.
    await scan.view(reading(365));
    expect(ring.getAttribute('aria-valuenow')).toBe('99');
    await scan.view(reading(365, { complete: true, returnedToStart: true }));
    expect(ring.getAttribute('aria-valuetext')).toBe(t('roomScan.degrees', { deg: 360 }));
    await scan.end('complete', report(365, true));
    expect(argsOf('roomScan.sendRoomScanReport')).toEqual([[report(365, true)]]);
    expect(screen.getByTestId('room-scan-complete').textContent).toContain(t('roomScan.complete'));
    expect(latinWords(container)).toEqual([]);
  });

  it('stopped part of the way: the attempt is still sent, the page says how far it got and offers another', async () => {
    const user = userEvent.setup();
    const scan = drivenScan();
    const { t, argsOf } = renderScreen(<RoomScanStep />, {
      language: 'ru',
      state,
      answers: { roomScan: { runRoomScan: scan.runRoomScan } },
    });
    await user.click(screen.getByRole('button', { name: t('roomScan.start') }));
    await scan.view(reading(121.7));
    await user.click(screen.getByRole('button', { name: t('roomScan.stop') }));
    expect(scan.signal()?.aborted).toBe(true);
    await scan.end('stopped', report(121.7, false));
    expect(argsOf('roomScan.sendRoomScanReport')).toHaveLength(1);
    expect(screen.getByTestId('room-scan-failed').textContent).toBe(t('roomScan.partial', { deg: 121 }));
    await user.click(screen.getByRole('button', { name: t('roomScan.retry') }));
    expect(argsOf('roomScan.runRoomScan')).toHaveLength(2);
  });

  it('a camera that gave no picture, and a scan that ran out of time, each say so', async () => {
    const user = userEvent.setup();
    for (const [end, key] of [
      ['camera', 'roomScan.camera'],
      ['time_up', 'roomScan.timeUp'],
    ] as const) {
      const scan = drivenScan();
      const { t, unmount } = renderScreen(<RoomScanStep />, { state, answers: { roomScan: { runRoomScan: scan.runRoomScan } } });
      await user.click(screen.getByRole('button', { name: t('roomScan.start') }));
      await scan.end(end, report(0, false));
      expect(screen.getByTestId('room-scan-failed').textContent).toBe(t(key, { minutes: 2 }));
      unmount();
    }
  });

  it('the centre did not take the report: the reason in plain words, never the program’s own message', async () => {
    const user = userEvent.setup();
    const scan = drivenScan();
    const { t, container } = renderScreen(<RoomScanStep />, {
      state,
      answers: {
        roomScan: {
          runRoomScan: scan.runRoomScan,
          sendRoomScanReport: () => Promise.reject(new RequestError('timeout', 'no answer in time')),
        },
      },
    });
    await user.click(screen.getByRole('button', { name: t('roomScan.start') }));
    await scan.end('complete', report(360, true));
    expect(screen.getByTestId('room-scan-failed').textContent).toBe(t('roomScan.error', { reason: t('client.reason.timeout') }));
    expect(latinWords(container)).toEqual([]);
    expect(screen.getByRole('button', { name: t('roomScan.retry') })).toBeTruthy();
  });
});
