/**
 * "A recording that cannot be played is a defect": the case as it was found, in real
 * Chromium with the real MediaRecorder and IndexedDB: one candidate, a first exam taken to the end,
 * then a second exam link for the same candidate in the same browser, identity and the room scan
 * switched off. Every recording chunk of the second exam reaches the centre, its first chunk is a
 * header chunk, the browser reports nothing dropped, and the reviewer's recording is served (200).
 */
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../src/testing/centre-harness';
import { CandidatePage } from './support/pages';
import { browserSuite } from './support/suite';

const suite = browserSuite();

async function examToTheEnd(candidate: CandidatePage, url: string, seconds: number): Promise<void> {
  await candidate.open(url);
  await candidate.chooseLanguage('Русский');
  await candidate.passPrestart(); // system check and consent: the recording starts at consent
  await candidate.start();
  await candidate.page.waitForTimeout(seconds * 1000);
  await candidate.submit();
}

describe('a second exam link for the same candidate', () => {
  it('records the second exam whole: header chunk first, nothing dropped, the reviewer gets the recording', async () => {
    const h = suite.centre;
    await h.setSteps({ identity: false, roomScan: false });
    const context = await suite.newContext('ru-RU');
    await context.addInitScript(() => localStorage.setItem('tanu.eval', '1'));

    const first = await h.issueToken();
    const page = await context.newPage();
    await examToTheEnd(new CandidatePage(page), first.url, 8);

    const second = await h.issueToken();
    const again = await context.newPage(); // the same browser: its storage (IndexedDB, localStorage) is shared with the first exam
    await examToTheEnd(new CandidatePage(again), second.url, 10);

    const reported = async () =>
      (
        await again.evaluate(() =>
          (
            window as unknown as { tanuEval: { outbox(): { kinds: Record<string, { items: number; dropped: number }> } } }
          ).tanuEval.outbox(),
        )
      ).kinds;
    await waitUntil(async () => (await reported()).chunk!.items === 0, 60_000, "the second exam's recording backlog to drain");
    const kinds = await reported();
    expect(Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, v.dropped]))).toMatchObject({ chunk: 0, answer: 0 });

    for (const { sessionId } of [first, second]) {
      const rows = await h.store.listRecordingChunks(sessionId);
      expect(rows.length, sessionId).toBeGreaterThan(2);
      expect(rows[0]).toMatchObject({ seq: 1, header: true });
      const reviewer = await h.staffToken('reviewer');
      const res = await fetch(`${h.url}/api/sessions/${sessionId}/recording`, { headers: { authorization: `Bearer ${reviewer}` } });
      expect(res.status, sessionId).toBe(200);
      await res.arrayBuffer();
    }
    const backlog = (await h.store.listEvents(second.sessionId))
      .filter((e) => e.type === 'upload.backlog')
      .map((e) => e.data as { dropped: number });
    expect(backlog.filter((b) => b.dropped > 0)).toEqual([]);
  });
});
