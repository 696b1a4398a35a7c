/**
 * Rule 13 end to end: the fake camera shows the candidate for 3 s, then an empty room for
 * 5 s, over and over. The first absence past its window warns (the dialog names the rule,
 * shows the evidence snapshot and says the next one ends the exam); the next ends the exam
 * automatically. The centre records both with the evidence, and the proctor sees them live.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD, waitUntil } from '../src/testing/centre-harness';
import { CandidatePage, ProctorPage } from './support/pages';
import { browserSuite } from './support/suite';

const suite = browserSuite({ video: 'absent-loop-8s.mjpeg', audio: 'silence.wav' });

describe('warning, then termination (rule 13)', () => {
  it('warns on the first absence with its evidence, ends the exam on the repeat, and the centre and proctor see both', async () => {
    const h = suite.centre;
    // A short grace after the warning keeps the test short (the default is 15 s): the first absence
    // settles 3 s in and ends 2 s later, inside the grace; the next one, 8 s after the first, is the repeat.
    await h.store.setProgrammeProctoring(h.programmeId, { warningGraceSec: 4 });
    h.centre.exams.forgetProctoringConfig(h.programmeId);
    // Single-face clips cannot pass liveness or a 360° scan: this programme has identity and the room scan off.
    await h.setSteps({ identity: false, roomScan: false });
    const link = await h.issueToken();
    const proctor = new ProctorPage(await (await suite.newContext('en-GB')).newPage());
    await proctor.logIn(h.url, 'proctor', TEST_PASSWORD);

    const candidate = new CandidatePage(await (await suite.newContext('ru-RU')).newPage());
    await candidate.open(link.url);
    await candidate.chooseLanguage('Русский');
    await candidate.passPrestart();
    await candidate.start();

    const warning = candidate.page.getByTestId('warning');
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.getAttribute('data-incident')).toBe('face.absent');
    const text = await warning.innerText();
    expect(text).toContain('13'); // names rule 13 and says the next violation ends the exam
    expect(text).toMatch(/автоматически/);
    const evidence = warning.getByTestId('evidence');
    await expect(
      evidence.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0),
    ).resolves.toBe(true);

    // The proctor sees the warning on the card and the incident with its snapshot in the feed.
    await proctor.waitForCard(link.sessionId, 'session-warned', /warned/);
    await proctor.page
      .locator('[data-testid="feed-item"][data-type="incident.open"][data-incident="face.absent"] [data-testid="feed-evidence"]')
      .first()
      .waitFor({ timeout: 15_000 });

    // Read and dismissed (if the repeat has not already ended the exam: it comes a few seconds later).
    await warning
      .getByRole('button')
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await candidate.waitForPhase('ended');
    expect(await candidate.page.getByTestId('ended').getAttribute('data-kind')).toBe('terminated');
    await proctor.waitForCard(link.sessionId, 'session-status', 'terminated');

    const session = (await h.store.getSession(link.sessionId))!;
    expect(session.status).toBe('terminated');
    expect(session.result).toMatchObject({ admitted: false, finishedBy: 'terminated' });
    const events = await h.store.listEvents(link.sessionId);
    const warned = events.find((e) => e.type === 'policy.warning')!.data as { incidentId: string; rule: string };
    const ended = events.find((e) => e.type === 'policy.terminated')!.data as { incidentId: string; warningIncidentId: string };
    expect(warned.rule).toBe('13');
    expect(ended.warningIncidentId).toBe(warned.incidentId);
    // Every decision is traceable to logged evidence: each incident's snapshot is stored under the hash its report names.
    for (const incidentId of [warned.incidentId, ended.incidentId]) {
      const report = events.find((e) => e.type === 'incident.open' && (e.data as { incident: { id: string } }).incident.id === incidentId)!;
      const sha = (report.data as { evidenceSha256: string }).evidenceSha256;
      await waitUntil(async () => (await h.store.getEvidence(link.sessionId, incidentId)) !== null, 10_000, 'evidence stored');
      const stored = await h.store.getEvidence(link.sessionId, incidentId);
      expect(stored && createHash('sha256').update(stored.bytes).digest('hex')).toBe(sha);
    }
  });
});
