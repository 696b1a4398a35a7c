/**
 * Nothing lost (rules 2.8.4, 2.8.5, 14): one exam in headless Chromium with the fake
 * camera and microphone, against the centre running as its own process behind a TCP proxy.
 * In the middle of the exam the link is cut for 20 s (the recording in 1 s chunks, so a backlog of
 * ~20 chunks builds up, as a 60 s outage does at the default 3 s) while the candidate answers, the page is
 * reloaded while the centre cannot be reached (answers still pending), and the centre is killed
 * with SIGKILL and started again on the same data folder and port. Then every event, answer and
 * recording chunk the browser produced (its own log, kept in localStorage by the evaluation hook)
 * must be at the centre exactly once, and the recording a reviewer downloads must play (ffprobe)
 * for as long as it was recorded.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/server/config';
import { seedDemo } from '../src/server/seed';
import { openSqliteStore } from '../src/server/store/sqlite-store';
import type { Response } from '../src/shared/protocol';
import { TEST_PASSWORD, waitUntil } from '../src/testing/centre-harness';
import { launchChromium } from '../src/testing/chromium';
import { freePort, startCentreProcess, startProxy, type CentreProcess, type CuttableProxy } from '../src/testing/centre-process';
import { CandidatePage } from './support/pages';
import { DEFAULT_MEDIA } from './support/suite';

/** The outage, and the programme's recording chunk length (recordingChunkSec) that makes ~20 chunks wait during it. */
const OUTAGE_MS = 20_000;
const CHUNK_SEC = 1;
const WAIT = { timeout: 30_000 };

let browser: Browser | null = null;
let centre: CentreProcess | null = null;
let proxy: CuttableProxy | null = null;
let dataDir = '';

beforeAll(async () => {
  if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'index.html')))
    throw new Error('the app is not built: run `npm run build` (npm test does it first)');
  browser = await launchChromium(DEFAULT_MEDIA);
});
afterAll(async () => {
  await browser?.close();
  await centre?.kill9();
  await proxy?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Produced {
  event: string[];
  answer: string[];
  chunk: string[];
}

function produced(page: Page): Promise<Produced> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('tanu.produced') ?? '{"event":[],"answer":[],"chunk":[]}') as Produced);
}

function outboxItems(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { tanuEval: { outbox(): { items: number } } }).tanuEval.outbox().items);
}

/** Waits until `count` more recording chunks have been made after `from` (the browser's own log of them). */
async function recordedSince(page: Page, from: number, count: number): Promise<void> {
  await waitUntil(async () => (await produced(page)).chunk.length >= from + count, 30_000, `${count} more recording chunks`);
}

/** Waits until `count` more chunks have been recorded and the centre has taken what was waiting (a steady exam). */
async function recordedOnline(page: Page, count: number): Promise<void> {
  await recordedSince(page, (await produced(page)).chunk.length, count);
  await waitUntil(async () => (await outboxItems(page)) <= 2, 30_000, 'the outbox to catch up');
}

/** Picks the first unanswered question and its first option; waits for the save state the situation calls for. */
async function answerOne(page: Page, expect: 'saved' | 'pending'): Promise<string> {
  await page.locator('.question-map button:not(.done)').first().click();
  const question = page.locator('[data-testid="question"]');
  const id = (await question.getAttribute('data-question-id'))!;
  await question.locator('input').first().check();
  await page.locator(`[data-testid="save-state"][data-state="${expect}"]`).waitFor(WAIT);
  return id;
}

async function staffLogin(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/staff/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  const body = (await res.json()) as Response<{ token: string }>;
  if ('error' in body) throw new Error(body.error.message);
  return body.data.token;
}

describe('lossless delivery', () => {
  it('after a 20 s outage, a reload with pending answers and a kill -9 of the centre, everything produced is stored exactly once and the recording plays', async () => {
    // A centre with the demo seed; observe mode (a reload leaves full screen: nothing may end this exam) and no identity or room scan (fake
    // video).
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'tanu-lossless-'));
    const seedStore = openSqliteStore(path.join(dataDir, 'tanu.sqlite'));
    await seedDemo(seedStore, dataDir, TEST_PASSWORD);
    const [programme] = await seedStore.listProgrammes();
    await seedStore.setProgrammeProctoring(programme!.id, {
      observe: true,
      recordingChunkSec: CHUNK_SEC,
      steps: { systemCheck: false, identity: false, roomScan: false },
    });
    await seedStore.close();
    const port = await freePort();
    proxy = await startProxy(port);
    centre = await startCentreProcess({ dataDir, port, password: TEST_PASSWORD, publicUrl: proxy.url });
    const link = centre.examLink!;

    const context = await browser!.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => localStorage.setItem('tanu.eval', '1'));
    const page = await context.newPage();
    const candidate = new CandidatePage(page);
    const wallStart = Date.now();
    await candidate.open(link);
    await candidate.chooseLanguage('Русский');
    await candidate.allowDevices('consent');
    await candidate.giveConsent('briefing'); // the recording starts here (rules 2.8.5, 14), before the first question
    await candidate.start();
    const sessionId = await page.evaluate(() => (window as unknown as { tanuEval: { sessionId(): string } }).tanuEval.sessionId());
    const answered: string[] = [];
    answered.push(await answerOne(page, 'saved'), await answerOne(page, 'saved'));
    await recordedOnline(page, 3);

    // (a) The link goes down for 20 s: the exam goes on, answers wait as pending, the indicator says so.
    proxy.cut();
    await page.locator('[data-testid="connection"].conn-reconnecting').waitFor(WAIT);
    const cutAt = Date.now();
    for (let i = 0; i < 3; i++) answered.push(await answerOne(page, 'pending'));
    await page.locator('[data-testid="uploads"][data-state="offline"]').waitFor(WAIT);
    await page.waitForTimeout(Math.max(0, OUTAGE_MS - (Date.now() - cutAt)));
    const waitingOffline = await outboxItems(page);
    expect(waitingOffline).toBeGreaterThanOrEqual(3 + 15); // the three answers and ~20 recording chunks of 1 s
    proxy.restore();
    await waitUntil(
      async () => (await page.locator('[data-testid="save-state"]').getAttribute('data-state')) === 'saved',
      30_000,
      'the offline answers to be saved',
    );
    await waitUntil(async () => (await outboxItems(page)) <= 2, 60_000, 'the outage backlog to drain');

    // (b) Only the socket goes down, an answer waits, and the page is reloaded: the answer survives in IndexedDB.
    proxy.blockSocketIo();
    await page.locator('[data-testid="connection"].conn-reconnecting').waitFor(WAIT);
    answered.push(await answerOne(page, 'pending'));
    await page.reload();
    await page.waitForTimeout(2_000);
    proxy.restore();
    await candidate.allowDevices('test');
    await waitUntil(async () => (await outboxItems(page)) <= 2, 60_000, 'the answer kept over the reload to be sent');
    answered.push(await answerOne(page, 'saved'));

    // (c) kill -9 the centre mid-exam, answer while it is down, start it again on the same folder and port.
    await recordedOnline(page, 3);
    await centre.kill9();
    answered.push(await answerOne(page, 'pending'));
    await recordedSince(page, (await produced(page)).chunk.length, 3); // chunks pile up while the centre is down
    await centre.restart();
    await waitUntil(
      async () => (await page.locator('[data-testid="save-state"]').getAttribute('data-state')) === 'saved',
      60_000,
      'the answer to be saved after the restart',
    );
    answered.push(await answerOne(page, 'saved'));
    await recordedOnline(page, 3);

    await candidate.submit();
    const wallEnd = Date.now();
    await waitUntil(async () => (await outboxItems(page)) === 0, 90_000, 'the outbox to drain after the exam');

    // The recording as a reviewer gets it, and its chunk list.
    const reviewer = await staffLogin(proxy.url, 'reviewer');
    const chunkList = (await (
      await fetch(`${proxy.url}/api/sessions/${sessionId}/recording/chunks`, { headers: { Authorization: `Bearer ${reviewer}` } })
    ).json()) as Response<{
      chunks: Array<{ seq: number; sha256: string; startedAt: number; durationMs: number; header: boolean }>;
      missing: number[];
    }>;
    if ('error' in chunkList) throw new Error(chunkList.error.message);
    const recording = await fetch(`${proxy.url}/api/sessions/${sessionId}/recording`, { headers: { Authorization: `Bearer ${reviewer}` } });
    expect(recording.status).toBe(200);
    const file = path.join(dataDir, 'downloaded.webm');
    writeFileSync(file, Buffer.from(await recording.arrayBuffer()));
    const probed = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name', '-of', 'json', file]).toString(),
    ) as {
      format: { duration: string };
      streams: Array<{ codec_name: string }>;
    };

    // What the browser produced, read once nothing waits any more; then the page is closed so it produces nothing more.
    await waitUntil(async () => (await outboxItems(page)) === 0, 30_000, 'the outbox to be empty');
    const mine = await produced(page);
    const quota = await page.evaluate(
      () => (window as unknown as { tanuEval: { uploads(): { quota: number | null } } }).tanuEval.uploads().quota,
    );
    await context.close();
    await centre.stop();
    const store = openSqliteStore(path.join(dataDir, 'tanu.sqlite'));
    try {
      const events = await store.listEvents(sessionId);
      const clientIds = events.filter((e) => e.origin === 'client').map((e) => e.eventId);
      const saved = events
        .filter((e) => e.type === 'answer.saved')
        .map((e) => {
          const d = e.data as { questionId: string; rev: number };
          return `${d.questionId}:${d.rev}`;
        });
      const chunks = await store.listRecordingChunks(sessionId);
      const answers = await store.getAnswers(sessionId);
      const session = (await store.getSession(sessionId))!;

      // Events: every one the browser produced, once, and nothing else.
      expect(new Set(clientIds).size).toBe(clientIds.length);
      expect([...clientIds].sort()).toEqual([...mine.event].sort());
      // Answers: every revision the browser produced was applied once; each question the candidate answered is stored.
      expect([...saved].sort()).toEqual([...mine.answer].sort());
      expect(new Set(answers.map((a) => a.questionId))).toEqual(new Set(answered));
      // Chunks: every chunk once, numbered without gaps.
      expect(chunks.map((c) => c.sha256).sort()).toEqual([...mine.chunk].sort());
      expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i + 1));
      expect(chunkList.data.missing).toEqual([]);
      expect(chunks.filter((c) => c.header).length).toBe(2); // the first run, and the one after the reload
      expect(session.status).toBe('submitted');
      // The proctor was told of the outage backlog once the link returned, and that it drained.
      const backlogs = events.filter((e) => e.type === 'upload.backlog').map((e) => e.data as { items: number });
      expect(Math.max(...backlogs.map((b) => b.items))).toBeGreaterThanOrEqual(15);
      expect(backlogs[backlogs.length - 1]!.items).toBeLessThanOrEqual(3);
      expect(chunks[0]!.startedAt).toBeLessThan(session.startedAt!); // recorded from consent, before the first question

      // The recording plays, vp8 + opus, as long as it was recorded (runs placed at their wall-clock time).
      const first = chunks[0]!;
      const last = chunks[chunks.length - 1]!;
      const recordedSec = (last.startedAt + last.durationMs - first.startedAt) / 1000;
      const duration = Number(probed.format.duration);
      expect(probed.streams.map((s) => s.codec_name).sort()).toEqual(['opus', 'vp8']);
      expect(Math.abs(duration - recordedSec)).toBeLessThan(4);
      const bytes = chunks.reduce((n, c) => n + c.bytes, 0);
      const kbps = (bytes * 8) / 1000 / recordedSec;
      console.log(
        `[lossless] events ${clientIds.length}/${mine.event.length}, answer revisions ${saved.length}/${mine.answer.length}, chunks ${chunks.length}/${mine.chunk.length}, ` +
          `offline backlog ${waitingOffline} items; recording ${duration.toFixed(1)} s by ffprobe vs ${recordedSec.toFixed(1)} s recorded ` +
          `(exam page open ${((wallEnd - wallStart) / 1000).toFixed(0)} s); ${(bytes / 1024 / 1024).toFixed(2)} MB, ${kbps.toFixed(0)} kbps, ` +
          `chunk mean ${(bytes / chunks.length / 1024).toFixed(0)} KB max ${(Math.max(...chunks.map((c) => c.bytes)) / 1024).toFixed(0)} KB, ` +
          `${((kbps * 1000 * 3600) / 8 / 1024 / 1024).toFixed(0)} MB per exam hour; local storage free for the outbox ${quota === null ? 'unknown' : `${(quota / 1024 ** 3).toFixed(1)} GB`}`,
      );
    } finally {
      await store.close();
    }
  }, 600_000);
});
