/**
 * The 360° room scan before the exam (rule 2.8.3) in the browser, the fake camera playing the
 * fixture turns (e2e/fixtures/room-scan-*.mjpeg): the candidate goes language → devices → consent →
 * room scan (the programme here asks for the scan but not the system check or identity, which
 * have their own tests), starts the scan and "turns" (the clip does).
 * - the full turn: the ring reaches 100%, the page moves on to the briefing, and the centre's
 *   prestart record says complete with coverage ≈ 360° and logs room_scan.completed;
 * - a third of the room and back: the ring stays near a third, Finish gives the "only N°" message
 *   and Retry, the centre records an incomplete attempt (room_scan.failed), the page stays on the scan;
 * - rule 12 during the scan: the full turn (room-scan-phone.mjpeg) passes a phone lying on a sofa;
 *   the engine's object detector (CenterNet and SSDLite, fused) flags it, with a picture, and the
 *   centre logs room_scan.object. The same room without the phone flags nothing
 *   (src/detectors/object-detector.test.ts, frame by frame).
 */
import { describe, expect, it } from 'vitest';
import type { Harness } from '../src/testing/centre-harness';
import { seriousViolations } from './support/axe';
import { CandidatePage } from './support/pages';
import { browserSuite } from './support/suite';

const WAIT = { timeout: 20_000 };

/** To the room-scan screen: language, camera and microphone, consent. */
async function toRoomScan(h: Harness, page: CandidatePage): Promise<{ sessionId: string }> {
  await h.setSteps({ systemCheck: false, identity: false, roomScan: true });
  const link = await h.issueToken();
  await page.open(link.url);
  await page.chooseLanguage('Русский');
  await page.allowDevices('consent');
  await page.giveConsent('room-scan');
  return { sessionId: link.sessionId };
}

/** Every value the ring's aria-valuenow takes from now on, kept in the page. */
async function watchProgress(page: CandidatePage): Promise<() => Promise<number[]>> {
  await page.page.evaluate(() => {
    const bar = document.querySelector('[data-testid="room-scan-progress"]')!;
    const seen: number[] = [];
    Object.assign(window, { scanProgress: seen });
    new MutationObserver(() => seen.push(Number(bar.getAttribute('aria-valuenow')))).observe(bar, {
      attributes: true,
      attributeFilter: ['aria-valuenow'],
    });
  });
  return () => page.page.evaluate(() => (window as unknown as { scanProgress: number[] }).scanProgress);
}

describe('room scan: a full turn past a phone lying in the room', () => {
  const suite = browserSuite({ video: 'room-scan-phone.mjpeg', audio: 'silence.wav' });

  it('passes: the ring reaches 100%, the page goes on to the briefing, the centre records ≈360° and room_scan.completed, and the phone is flagged (rule 12)', async () => {
    const h = suite.centre;
    const context = await suite.newContext('ru-RU');
    // The page keeps what the scan measured (as for npm run eval), so the test can see the object detector ran.
    await context.addInitScript(() => localStorage.setItem('tanu.eval', '1'));
    const candidate = new CandidatePage(await context.newPage());
    const { sessionId } = await toRoomScan(h, candidate);
    const page = candidate.page;
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('0');
    const progress = await watchProgress(candidate);
    const started = Date.now();
    await page.getByTestId('room-scan-start').click();
    // The clip turns at 12°/s: a quarter is announced after ~8 s.
    await page.getByTestId('room-scan-milestone').filter({ hasText: '25%' }).waitFor({ timeout: 20_000 });
    // 30 s for the turn; on a loaded machine a lost stretch (a gap) makes it complete on the next lap instead.
    const passed = await page
      .locator('.page.exam[data-phase="briefing"]')
      .waitFor({ timeout: 70_000 })
      .then(
        () => true,
        () => false,
      );
    const seconds = (Date.now() - started) / 1000;
    const measured = await page.evaluate(() => {
      const run = (
        window as unknown as { tanuEval: { roomScan: Array<{ frames: Array<{ headingDeg: number; status: string }> }> } }
      ).tanuEval.roomScan.at(-1)!;
      const statuses: Record<string, number> = {};
      for (const f of run.frames) statuses[f.status] = (statuses[f.status] ?? 0) + 1;
      return { statuses, lastHeading: run.frames.at(-1)?.headingDeg ?? null };
    });
    console.log(
      `room scan e2e (full): ${passed ? 'complete' : 'NOT complete'} after ${seconds.toFixed(1)} s; frames ${JSON.stringify(measured)}`,
    );
    expect(passed, JSON.stringify(measured)).toBe(true);
    const values = await progress();
    console.log(`room scan e2e (full): ring ${values.slice(0, 3).join(',')}…${values.slice(-3).join(',')}`);
    expect(values.at(-1)).toBe(100);
    expect(Math.max(...values.slice(0, -1))).toBeLessThan(100); // 100% only on completion
    expect(seconds).toBeGreaterThan(25); // a turn of 360° at 12°/s cannot be complete sooner

    const record = (await h.store.getPrestart(sessionId)).roomScan;
    expect(record?.complete).toBe(true);
    expect(Math.abs(record!.coverageDeg - 360)).toBeLessThan(6);
    const events = await h.store.listEvents(sessionId);
    const completed = events.filter((e) => e.type === 'room_scan.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.data).toMatchObject({ complete: true, returnedToStart: true, recordingSeq: null });
    expect(events.filter((e) => e.type === 'room_scan.failed')).toHaveLength(0);

    // Rule 12 over the scan: the detector ran during the turn and flagged the lying phone (in view 10.5-16 s of the
    // clip; the same kind is flagged once per 10 s). It may also call it a book (object-detector.test.ts measures that).
    const objectRuns = await page.evaluate(
      () => (window as unknown as { tanuEval: { roomScan: Array<{ objectRuns: number }> } }).tanuEval.roomScan.at(-1)!.objectRuns,
    );
    const flagged = events
      .filter((e) => e.type === 'room_scan.object')
      .map((e) => e.data as { incident: string; score: number; at: number; evidenceSha256: string | null });
    console.log(
      `room scan e2e (full): ${objectRuns} object-detector runs during the scan; flagged ${JSON.stringify(flagged.map((f) => [f.incident, f.score, f.at]))}`,
    );
    expect(objectRuns).toBeGreaterThanOrEqual(5);
    const phones = flagged.filter((f) => f.incident === 'object.phone');
    expect(phones.length).toBeGreaterThanOrEqual(1);
    expect(phones[0]!.score).toBeGreaterThanOrEqual(0.4);
    expect(flagged.every((f) => f.incident === 'object.phone' || f.incident === 'object.book')).toBe(true);
  }, 160_000);
});

describe('room scan: a third of the room and back', () => {
  const suite = browserSuite({ video: 'room-scan-partial.mjpeg', audio: 'silence.wav' });

  it('does not pass: about 120° is shown, Finish says so and offers Retry, the centre records room_scan.failed; Retry is a new attempt', async () => {
    const h = suite.centre;
    // bypassCSP: only so the accessibility checker can be injected (WCAG 2.1 AA, as e2e/accessibility.e2e.ts).
    const candidate = new CandidatePage(await (await suite.newContext('ru-RU', { bypassCSP: true })).newPage());
    const { sessionId } = await toRoomScan(h, candidate);
    const page = candidate.page;
    expect(await seriousViolations(page), 'room scan, before the start').toEqual([]);
    const progress = await watchProgress(candidate);
    await page.getByTestId('room-scan-start').click();
    // One loop of the clip (20 s: 0 → 120° → 0) and a little more.
    await page.waitForTimeout(22_000);
    expect(await candidate.phase()).toBe('room-scan');
    const values = await progress();
    expect(Math.max(...values)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...values)).toBeLessThanOrEqual(36); // 120° of 360°
    await page.getByTestId('room-scan-stop').click();
    const failed = page.getByTestId('room-scan-failed');
    await failed.waitFor(WAIT);
    const text = await failed.innerText();
    console.log(`room scan e2e (partial): ${text}`);
    expect(text).toMatch(/Осмотрено только 1[12]\d° комнаты/);
    expect(await page.getByTestId('room-scan-retry').isVisible()).toBe(true);
    expect(await seriousViolations(page), 'room scan, not passed').toEqual([]);
    // The outcome takes the focus to the heading, so a screen reader reads it; the ring says how much was seen.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('room-scan-title');
    expect(await page.getByRole('progressbar').getAttribute('aria-valuetext')).toMatch(/^1[12]\d° из 360°$/);

    const record = (await h.store.getPrestart(sessionId)).roomScan;
    expect(record?.complete).toBe(false);
    expect(record!.coverageDeg).toBeGreaterThan(110);
    expect(record!.coverageDeg).toBeLessThan(130);
    const events = await h.store.listEvents(sessionId);
    expect(events.filter((e) => e.type === 'room_scan.completed')).toHaveLength(0);
    expect(events.filter((e) => e.type === 'room_scan.failed')).toHaveLength(1);

    expect(await candidate.phase()).toBe('room-scan'); // no way on to the briefing

    // Retry (by keyboard) starts a new attempt.
    await page.getByTestId('room-scan-retry').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('room-scan-stop').waitFor(WAIT);
    await page.getByTestId('room-scan-stop').click();
    await failed.waitFor(WAIT);
    expect((await h.store.getPrestart(sessionId)).roomScan?.attempts).toBe(2);
  }, 120_000);
});
