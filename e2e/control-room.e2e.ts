/**
 * The proctor's control room end to end: a proctor and three real candidates, each in its own Chromium with its own
 * fake camera (fake capture is per browser process):
 *   A: one person, frontal (`single-face-5s`): message and acknowledgement, the live camera, pause;
 *   B: present 20 s, absent 5 s, looping (`absent-sparse-25s`): rule 13 with people in control:
 *      a dismissed warning means the next absence warns again instead of ending the exam; ended by
 *      the proctor with a reason, then reinstated;
 *   C: identity locked after five tries (`same-person-6s`): the proctor approves and C goes on.
 * Every action is checked where it lands: on the candidate's screen and in the hash-chained log.
 * The live camera's WebRTC stays on loopback: both pages keep only 127.0.0.1 ICE candidates.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../src/testing/chromium';
import { TEST_PASSWORD, waitUntil, type Harness } from '../src/testing/centre-harness';
import { CandidatePage, ProctorPage } from './support/pages';
import { browserSuite } from './support/suite';

const suite = browserSuite();
const browsers: Record<'a' | 'b' | 'c', Browser | null> = { a: null, b: null, c: null };
const SILENCE = 'silence.wav';
/** Screenshots for people to look at (the candidate's dialogs, the drill-down with live video). */
const SHOTS = process.env.TANU_SCREENSHOTS ?? path.join(os.tmpdir(), 'tanu-screenshots');

beforeAll(async () => {
  [browsers.a, browsers.b, browsers.c] = await Promise.all([
    launchChromium({ video: 'single-face-5s.mjpeg', audio: SILENCE }),
    launchChromium({ video: 'absent-sparse-25s.mjpeg', audio: SILENCE }),
    launchChromium({ video: 'same-person-6s.mjpeg', audio: SILENCE }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all(Object.values(browsers).map((b) => b?.close()));
});

/** Only loopback ICE candidates cross between the two pages: the test's media never leaves 127.0.0.1. */
function loopbackOnly(): void {
  const keep = (line: string) => !/candidate/.test(line) || / 127\.0\.0\.1 /.test(line);
  const add = RTCPeerConnection.prototype.addIceCandidate;
  RTCPeerConnection.prototype.addIceCandidate = function (this: RTCPeerConnection, candidate?: RTCIceCandidateInit | null) {
    if (candidate?.candidate && !keep(candidate.candidate)) return Promise.resolve();
    return Reflect.apply(add, this, [candidate]) as Promise<void>;
  } as typeof add;
  const setRemote = RTCPeerConnection.prototype.setRemoteDescription;
  RTCPeerConnection.prototype.setRemoteDescription = function (this: RTCPeerConnection, description?: RTCSessionDescriptionInit) {
    const sdp = description?.sdp?.split('\r\n').filter(keep).join('\r\n');
    return Reflect.apply(setRemote, this, [description ? { ...description, sdp } : description]) as Promise<void>;
  } as typeof setRemote;
}

async function candidateContext(which: 'a' | 'b' | 'c', locale: string): Promise<BrowserContext> {
  const context = await browsers[which]!.newContext({ locale, viewport: { width: 1280, height: 800 } });
  candidateContexts.push(context);
  await context.addInitScript(loopbackOnly);
  return context;
}

async function act(page: Page, kind: string, fill: { text?: string; cause?: 'violation' | 'technical' } = {}): Promise<void> {
  await page.getByTestId(`act-${kind}`).click();
  if (fill.cause) await page.getByTestId(`act-cause-${fill.cause}`).check();
  if (fill.text !== undefined) await page.getByTestId('act-text').fill(fill.text);
  await page.getByTestId('act-submit').click();
}

/** The candidate reads the proctor's note of this kind (it stays on screen until then). */
async function readNote(page: Page, kind: string): Promise<string> {
  const note = page.locator(`[data-testid="proctor-note"][data-kind="${kind}"]`);
  await note.waitFor({ timeout: 20_000 });
  const text = await note.innerText();
  await note.getByTestId('note-ack').click();
  await note.waitFor({ state: 'detached', timeout: 5_000 });
  return text;
}

async function openDetail(proctor: ProctorPage, sessionId: string): Promise<void> {
  if (await proctor.page.getByTestId('candidate-detail').isVisible()) await proctor.page.getByTestId('detail-close').click();
  await proctor.card(sessionId).getByTestId('card-open').click();
  await proctor.page.getByTestId('candidate-detail').waitFor({ timeout: 10_000 });
}

const events = async (h: Harness, sessionId: string) => h.store.listEvents(sessionId);
const ofType = async (h: Harness, sessionId: string, type: string) => (await events(h, sessionId)).filter((e) => e.type === type);
/** A session's last log entries, one a line, for a failure's message. */
const lastLines = async (h: Harness, sessionId: string, n = 25) =>
  (await events(h, sessionId))
    .slice(-n)
    .map((x) => `${new Date(x.serverAt).toISOString().slice(14, 23)} ${x.type} ${JSON.stringify(x.data).slice(0, 160)}`)
    .join('\n');

/** The candidates' contexts, closed after each try (a retry must not share two cores with the first try's exams). */
const candidateContexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(candidateContexts.splice(0).map((c) => c.close()));
});

describe('the proctor at work with three candidates', () => {
  // One retry: B's absences are judged by the real detector in three Chromiums sharing two cores (1.5-4 analysed frames a
  // second each), and a late frame now and then moves an absence past the step that waits for it. Both runs failing is a
  // failure, and a first-run failure is still reported by vitest.
  it(
    'thumbnails, messages, live camera, pause, decisions that change rule 13, end and reinstate, identity approval',
    { timeout: 420_000, retry: 1 },
    async ({ onTestFailed }) => {
      // A try that fails is printed here too: when the retry passes, vitest shows only that it retried.
      onTestFailed(({ task }) => {
        for (const error of task.result?.errors ?? [])
          console.log(`[control room] try ${task.result?.retryCount ?? 0} failed: ${error.message}\n${error.stack ?? ''}`);
      });
      const h = suite.centre;
      await h.setSteps({ identity: false, roomScan: false });
      // Three candidates' Chromiums and a proctor's share two cores here: each analyses 1-4 frames a second, under the
      // default minAnalysedFps of 3, and a tech.low_fps going on for technicalFaultSec (120 s) suspends the exam (rule 11).
      // That suspended A in CI before the pause step (no countdown left to read); this test is about the control room.
      await h.store.setProgrammeProctoring(h.programmeId, {
        ...(await h.store.getProgramme(h.programmeId))!.proctoring,
        warningGraceSec: 10,
        minAnalysedFps: 0.5,
      });
      h.centre.exams.forgetProctoringConfig(h.programmeId);
      // C's programme checks identity (rule 2.8.6); C has used all five tries already.
      const demo = (await h.store.getProgramme(h.programmeId))!;
      await h.store.createProgramme(
        { ...demo, id: 'ELEC-4-ID', code: 'ELEC-4-ID', proctoring: { steps: { systemCheck: true, identity: true, roomScan: false } } },
        await h.store.getQuestions(h.programmeId),
      );
      const centre = (await h.store.getCentre())!;
      const ids = { b: randomUUID(), c: randomUUID() };
      await h.store.createCandidate({
        id: ids.b,
        centreId: centre.id,
        surname: 'Жұмабаев',
        givenName: 'Ерлан',
        patronymic: null,
        iin: '900101300001',
        email: null,
      });
      await h.store.createCandidate({
        id: ids.c,
        centreId: centre.id,
        surname: 'Ким',
        givenName: 'Виктор',
        patronymic: null,
        iin: '900101300002',
        email: null,
      });
      const linkA = await h.issueToken();
      const linkB = await h.centre.issueExamLink(ids.b, h.programmeId);
      const linkC = await h.centre.issueExamLink(ids.c, 'ELEC-4-ID');
      await h.store.updatePrestart(linkC.sessionId, { identity: { verifiedAt: null, similarity: 0.44, attempts: 5, reference: 'file' } });

      const proctorContext = await suite.newContext('en-GB');
      await proctorContext.addInitScript(loopbackOnly);
      const proctor = new ProctorPage(await proctorContext.newPage());
      await proctor.page.setViewportSize({ width: 1920, height: 1080 });
      await proctor.logIn(h.url, 'proctor', TEST_PASSWORD);

      const a = new CandidatePage(await (await candidateContext('a', 'ru-RU')).newPage());
      const b = new CandidatePage(await (await candidateContext('b', 'kk-KZ')).newPage());
      const c = new CandidatePage(await (await candidateContext('c', 'ru-RU')).newPage());
      await Promise.all([a.open(linkA.url), b.open(linkB.url), c.open(linkC.url)]);
      await Promise.all([
        (async () => {
          await a.chooseLanguage('Русский');
          await a.passPrestart();
          await a.start();
        })(),
        (async () => {
          await b.chooseLanguage('Қазақша');
          await b.passPrestart();
          await b.start();
        })(),
        (async () => {
          await c.chooseLanguage('Русский');
          await c.passSystemCheck();
          await c.giveConsent('identity');
        })(),
      ]);

      // B: the first absence warns; the proctor dismisses it, so the next absence warns again instead of ending the exam.
      const bLog = async () =>
        `B is at ${await b.phase()}, fps ${await b.page
          .getByTestId('proctoring-badge')
          .getAttribute('data-fps')
          .catch(() => '?')}\n${await lastLines(h, linkB.sessionId, 20)}`;
      await b.page
        .getByTestId('warning')
        .waitFor({ timeout: 90_000 })
        .catch(async (e: unknown) => {
          throw new Error(`${String(e)}\n${await bLog()}`);
        });
      mkdirSync(SHOTS, { recursive: true });
      await b.page.screenshot({ path: path.join(SHOTS, 'candidate-warning-kk.png') });
      // The browser warns a moment before the centre has judged the same report.
      await waitUntil(async () => !!(await h.store.getSession(linkB.sessionId))!.policy?.warning, 10_000, 'the warning at the centre');
      const first = (await h.store.getSession(linkB.sessionId))!.policy!.warning!.incidentId;
      const item = proctor.page.locator(`[data-testid="queue-item"][data-incident-id="${first}"]`);
      await item.getByTestId('queue-comment').fill('the camera lost him in the glare');
      await item.getByTestId('queue-dismiss').click();
      await proctor.page
        .locator(`[data-testid="queue-item"][data-incident-id="${first}"][data-decision="dismissed"]`)
        .waitFor({ timeout: 5_000 });
      // The withdrawn warning leaves the candidate's screen by itself.
      await b.page
        .getByTestId('warning')
        .waitFor({ state: 'detached', timeout: 10_000 })
        .catch(async (e: unknown) => {
          const shown = await b.page
            .getByTestId('warning')
            .getAttribute('data-incident-id')
            .catch(() => '?');
          throw new Error(
            `${String(e)}\nthe candidate still shows the warning of ${shown}; the dismissed one is ${first}\n${await bLog()}`,
          );
        });
      await waitUntil(
        async () => {
          const w = (await h.store.getSession(linkB.sessionId))!.policy?.warning;
          return !!w && w.incidentId !== first;
        },
        60_000,
        'the next absence to warn',
      ).catch(async (e: unknown) => {
        throw new Error(`${String(e)}\n${await lastLines(h, linkB.sessionId)}`);
      });
      expect((await h.store.getSession(linkB.sessionId))!.status).toBe('in_progress');
      expect(await ofType(h, linkB.sessionId, 'policy.terminated')).toHaveLength(0);
      await b.page.getByTestId('warning').waitFor({ timeout: 10_000 });
      const second = (await h.store.getSession(linkB.sessionId))!.policy!.warning!.incidentId;

      // B: ended by the proctor with a reason (rule 13), then, the second absence dismissed too, reinstated.
      await openDetail(proctor, linkB.sessionId);
      await act(proctor.page, 'end', { cause: 'violation', text: 'left the room twice' });
      await b.waitForPhase('ended');
      expect((await ofType(h, linkB.sessionId, 'policy.terminated'))[0]?.data, await lastLines(h, linkB.sessionId)).toMatchObject({
        manual: true,
        rule: '13',
        reason: 'left the room twice',
        by: { name: 'Proctor Demo' },
      });
      expect(await readNote(b.page, 'end')).toContain('left the room twice');
      await proctor.page.getByTestId('detail-close').click();
      await proctor.page.locator(`[data-testid="queue-item"][data-incident-id="${second}"]`).getByTestId('queue-dismiss').click();
      await openDetail(proctor, linkB.sessionId);
      await act(proctor.page, 'reinstate', { text: 'he went to close the door; the camera confirms it' });
      await b.waitForPhase('devices');
      await readNote(b.page, 'reinstated');
      await b.allowDevices('test');
      const reinstated = (await ofType(h, linkB.sessionId, 'exam.reinstated'))[0]!;
      expect(reinstated.data).toMatchObject({ previousStatus: 'terminated', by: { name: 'Proctor Demo' } });
      expect((await h.store.getSession(linkB.sessionId))!.status).toBe('in_progress');

      // The grid: all three, each with a live camera still.
      await proctor.page.getByTestId('detail-close').click();
      for (const id of [linkA.sessionId, linkB.sessionId, linkC.sessionId]) {
        await proctor.page.waitForFunction(
          (sessionId) => {
            const img = document.querySelector<HTMLImageElement>(
              `[data-testid="session-card"][data-session-id="${sessionId}"] img[data-testid="card-thumb"]`,
            );
            return !!img && img.complete && img.naturalWidth > 0;
          },
          id,
          { timeout: 30_000 },
        );
      }
      await proctor.card(linkC.sessionId).getByTestId('session-identity-locked').waitFor({ timeout: 10_000 });

      // C: identity locked; the proctor compares and approves; C goes on to the briefing.
      await c.page.getByTestId('identity-locked').waitFor({ timeout: 10_000 });
      expect(await c.page.getByTestId('centre-contact').innerText()).toContain(linkC.sessionId.replace(/-/g, '').slice(0, 8).toUpperCase());
      await openDetail(proctor, linkC.sessionId);
      await proctor.page.getByTestId('identity-photos').waitFor();
      await act(proctor.page, 'identity-approve', { text: 'same man as on the ID card he showed to the camera' });
      await c.waitForPhase('briefing');
      expect((await ofType(h, linkC.sessionId, 'identity.approved'))[0]?.data).toMatchObject({ attempts: 5, by: { name: 'Proctor Demo' } });

      // A: a message reaches the candidate within a second, is read and answered; the proctor sees the reply.
      await openDetail(proctor, linkA.sessionId);
      const sentAt = Date.now();
      await act(proctor.page, 'message', { text: 'Пожалуйста, уберите телефон со стола.' });
      const note = a.page.locator('[data-testid="proctor-note"][data-kind="message"]');
      await note.waitFor({ timeout: 5_000 });
      const messageMs = Date.now() - sentAt;
      mkdirSync(SHOTS, { recursive: true });
      await a.page.getByTestId('note-reply').fill('Убрал');
      await a.page.screenshot({ path: path.join(SHOTS, 'candidate-message-ru.png') });
      expect(await note.innerText()).toContain('уберите телефон');
      // Rule 11: the dialog itself is the alertdialog a screen reader announces, named by the note's title and described by its words.
      const announced = await note.evaluate((n) => {
        const d = n.closest('dialog')!;
        const text = (ids: string | null) =>
          (ids ?? '')
            .split(' ')
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' ');
        return {
          role: d.getAttribute('role'),
          name: text(d.getAttribute('aria-labelledby')),
          description: text(d.getAttribute('aria-describedby')),
          nested: d.querySelectorAll('[role="alertdialog"], [role="dialog"]').length,
        };
      });
      expect(announced).toMatchObject({ role: 'alertdialog', nested: 0 });
      expect(announced.name.length).toBeGreaterThan(0);
      expect(announced.description).toContain('уберите телефон');
      await a.page.getByTestId('note-ack').click();
      await note.waitFor({ state: 'detached', timeout: 5_000 });
      await waitUntil(async () => (await ofType(h, linkA.sessionId, 'note.acknowledged')).length === 1, 5_000, 'acknowledgement logged');
      expect((await ofType(h, linkA.sessionId, 'note.acknowledged'))[0]!.data).toMatchObject({ kind: 'message', reply: 'Убрал' });
      await expect.poll(() => proctor.page.getByTestId('notes').innerText(), { timeout: 10_000 }).toContain('Убрал');

      // A: the live camera, browser to browser; frames arrive and play; who watched is logged.
      const fps = async () => {
        const samples: number[] = [];
        for (let i = 0; i < 4; i++) {
          samples.push(Number(await a.page.getByTestId('proctoring-badge').getAttribute('data-fps')));
          await a.page.waitForTimeout(1_000);
        }
        return samples.reduce((x, y) => x + y, 0) / samples.length;
      };
      const fpsBefore = await fps();
      const openedAt = Date.now();
      await proctor.page.getByTestId('live-open').click();
      await proctor.page.waitForFunction(
        () => {
          const v = document.querySelector<HTMLVideoElement>('[data-testid="live-video"]');
          return !!v && v.videoWidth > 0 && v.currentTime > 0;
        },
        undefined,
        { timeout: 20_000 },
      );
      const firstFrameMs = Date.now() - openedAt;
      const fpsWatched = await fps();
      await proctor.page.screenshot({ path: path.join(SHOTS, 'control-room-live-video-en.png') });
      // Stop 29's CI lost the picture here twice (it passes alone): if it goes, say why (the viewer's state and the log).
      const t1 = await proctor.page
        .getByTestId('live-video')
        .evaluate((v) => (v as HTMLVideoElement).currentTime, undefined, { timeout: 10_000 })
        .catch(async (e: unknown) => {
          const state = await proctor.page.getByTestId('live-state').evaluate((p) => `${p.dataset.state ?? ''} ${p.dataset.detail ?? ''}`);
          throw new Error(
            `${String(e)}\nthe live picture went after ${firstFrameMs} ms; the proctor's live camera: ${state}\n${await lastLines(h, linkA.sessionId)}`,
          );
        });
      await proctor.page.waitForTimeout(1_500);
      const t2 = await proctor.page.getByTestId('live-video').evaluate((v) => (v as HTMLVideoElement).currentTime);
      expect(t2).toBeGreaterThan(t1);
      await a.page
        .getByTestId('live-indicator')
        .waitFor({ timeout: 5_000 })
        .catch(async (e: unknown) => {
          const state = await proctor.page.getByTestId('live-state').evaluate((p) => `${p.dataset.state ?? ''} ${p.dataset.detail ?? ''}`);
          throw new Error(
            `${String(e)}\nA is at ${await a.phase()}; the proctor's live camera: ${state}\n${await lastLines(h, linkA.sessionId)}`,
          );
        });
      await proctor.page.getByTestId('live-close').click();
      await waitUntil(async () => (await ofType(h, linkA.sessionId, 'live.closed')).length === 1, 5_000, 'live.closed logged');
      expect((await ofType(h, linkA.sessionId, 'live.opened'))[0]!.data).toMatchObject({ by: { name: 'Proctor Demo' } });
      console.log(
        `[control room] message on the candidate's screen ${messageMs} ms after send; live camera first frame ${firstFrameMs} ms after opening; candidate's analysed fps ${fpsBefore.toFixed(1)} before, ${fpsWatched.toFixed(1)} while watched live`,
      );

      // A: pause stops the candidate's timer; resume starts it again.
      await act(proctor.page, 'pause', { text: 'checking the room' });
      await a.page.getByTestId('paused').waitFor({ timeout: 5_000 });
      expect(await readNote(a.page, 'pause')).toContain('checking the room');
      const frozen = await a.text('countdown');
      await a.page.waitForTimeout(2_500);
      expect(await a.text('countdown')).toBe(frozen);
      await act(proctor.page, 'resume');
      await a.page.getByTestId('paused').waitFor({ state: 'detached', timeout: 5_000 });
      await readNote(a.page, 'resume');
      await expect
        .poll(
          () =>
            a.page
              .getByTestId('countdown')
              .innerText({ timeout: 1_000 })
              .catch(() => 'none'),
          { timeout: 5_000 },
        )
        .not.toMatch(new RegExp(`^(${frozen}|none)$`))
        .catch(async (e: unknown) => {
          throw new Error(`${String(e)}\nA is at ${await a.phase()}\n${await lastLines(h, linkA.sessionId)}`);
        });

      // The keyed log of every session is whole: each entry chained and matching the checkpoints.
      for (const id of [linkA.sessionId, linkB.sessionId, linkC.sessionId])
        expect(await h.verifyLog(id)).toMatchObject({ status: 'intact', badCheckpointLines: 0 });
    },
  );
});
