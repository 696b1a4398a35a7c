/**
 * A clean clip: one person, frontal, a quiet room. Online proctoring runs for the exam (its
 * models load with a progress bar before Start) and never warns: no single-frame flicker or
 * detector miss may reach the candidate (rule 13 needs a recorded violation).
 */
import { describe, expect, it } from 'vitest';
import { INCIDENTS, incidentTypeOf } from '../src/shared/incidents';
import { waitUntil } from '../src/testing/centre-harness';
import { CandidatePage } from './support/pages';
import { browserSuite } from './support/suite';

const suite = browserSuite({ video: 'single-face-5s.mjpeg', audio: 'silence.wav' });

describe('proctoring on a clean clip', () => {
  it('loads the models with progress, runs through the exam, and raises no violation and no warning', async () => {
    const h = suite.centre;
    // Single-face clips cannot pass liveness or a 360° scan: this programme has identity and the room scan off (issue 4).
    await h.setSteps({ identity: false, roomScan: false });
    const link = await h.issueToken();
    const candidate = new CandidatePage(await (await suite.newContext('kk-KZ')).newPage());
    await candidate.open(link.url);
    await candidate.chooseLanguage('Қазақша');
    await candidate.passPrestart();
    // Start waits for the models; until then the briefing shows their progress.
    const start = candidate.page.locator('.page.exam button.primary');
    if (!(await candidate.page.getByTestId('proctoring-ready').count())) {
      await expect(start.isDisabled()).resolves.toBe(true);
    }
    await candidate.start();
    await expect(candidate.page.getByTestId('proctoring-badge').getAttribute('data-phase')).resolves.toBe('ready');

    // The engine announced itself to the centre with its backend and readiness time.
    await waitUntil(async () => (await h.store.listEvents(link.sessionId)).some((e) => e.type === 'proctoring.ready'), 10_000, 'proctoring.ready');
    const ready = (await h.store.listEvents(link.sessionId)).find((e) => e.type === 'proctoring.ready')!;
    expect(ready.data).toMatchObject({ backend: 'wasm' });

    // 25 s of exam: the 5 s clip loops five times, so any flicker at the loop point would show.
    await candidate.page.waitForTimeout(25_000);
    expect(await candidate.page.getByTestId('warning').count()).toBe(0);
    expect(await candidate.phase()).toBe('test');
    const events = await h.store.listEvents(link.sessionId);
    const violations = events.filter((e) => e.type === 'incident.open' && !INCIDENTS[incidentTypeOf(e.data)!].technical);
    expect(violations.map((e) => incidentTypeOf(e.data))).toEqual([]);
    expect(events.some((e) => e.type.startsWith('policy.'))).toBe(false);
    // And the engine really was analysing frames all along.
    const fps = await candidate.page.evaluate(() => Number(document.querySelector('[data-testid="proctoring-badge"]')?.getAttribute('data-fps') ?? 0));
    expect(fps).toBeGreaterThan(2);
  });
});
