/**
 * Candidates without a browser, for the control room's screens: each is a named candidate with
 * its own exam session, started through the real commands, answering some questions, reporting
 * incidents with real evidence snapshots, and sending real camera stills (frames of the test
 * clips) as live thumbnails while the centre asks for them. Only the proctor's browser is real
 * here; the three-browser test (control-room.e2e.ts) runs real candidates.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ThumbRequest } from '../../src/shared/control-room';
import type { IncidentType } from '../../src/shared/incidents';
import type { ExamSnapshot } from '../../src/shared/protocol';
import { data, request, type CandidateSocket, type Harness } from '../../src/testing/centre-harness';
import { MjpegClip } from '../../src/testing/mjpeg';

const NAMES: Array<[string, string, string | null]> = [
  ['Әбілқасымов', 'Ерлан', 'Серікұлы'],
  ['Иванова', 'Мария', 'Петровна'],
  ['Жұмабаева', 'Динара', null],
  ['Ким', 'Виктор', 'Александрович'],
  ['Нұрмағамбетов', 'Асқар', 'Болатұлы'],
  ['Садықова', 'Гүлнар', 'Маратқызы'],
  ['Петров', 'Игорь', 'Сергеевич'],
  ['Төлеуов', 'Бауыржан', null],
  ['Омарова', 'Айжан', 'Қайратқызы'],
  ['Ли', 'Елена', 'Викторовна'],
  ['Қасымов', 'Данияр', 'Ерланұлы'],
  ['Сейітова', 'Жанар', null],
  ['Баймұханов', 'Ғалым', 'Нұрланұлы'],
  ['Смагулова', 'Ольга', 'Ивановна'],
];

export interface Simulated {
  socket: CandidateSocket;
  sessionId: string;
  snapshot: ExamSnapshot;
  name: string;
  /** Reports a settled incident with a snapshot (a frame of `clip`), as the browser's engine does. */
  incident(type: IncidentType, clip?: MjpegClip): Promise<string>;
}

const iin = (i: number) => String(900101300000 + i);

/** `count` named candidates, each in the state `stage` (started exams answer a few questions). */
export async function simulatedCandidates(
  h: Harness,
  count: number,
  clips: MjpegClip[],
  stage: (i: number) => 'started' | 'waiting' = () => 'started',
): Promise<Simulated[]> {
  const centre = (await h.store.getCentre())!;
  const out: Simulated[] = [];
  for (let i = 0; i < count; i++) {
    const [surname, givenName, patronymic] = NAMES[i % NAMES.length]!;
    const candidateId = randomUUID();
    await h.store.createCandidate({ id: candidateId, centreId: centre.id, surname, givenName, patronymic, iin: iin(i), email: null });
    const link = await h.centre.issueExamLink(candidateId, h.programmeId);
    const socket = await h.candidate(link.token);
    const clip = clips[i % clips.length]!;
    let frame = 0;
    let lane: NodeJS.Timeout | null = null;
    socket.on('thumbs:set', (r: ThumbRequest) => {
      if (lane) clearInterval(lane);
      // With the drill-down open the centre asks for readings too: a head that sways a little, a quiet room.
      const samples = () => {
        const t = Date.now();
        return [{ t, faces: 1, yaw: Math.round(10 * Math.sin(t / 3000)), pitch: -5, levelDb: -58 + (t % 7), speech: 0.05 }];
      };
      const send = () =>
        socket.volatile.emit('thumb:frame', {
          jpeg: clip.jpegAt((frame += 15) % clip.frames.length),
          ...(r.signals ? { samples: samples() } : {}),
        });
      lane = r.intervalMs > 0 ? setInterval(send, Math.min(r.intervalMs, 2_000)) : null;
      if (r.intervalMs > 0) send();
    });
    socket.on('disconnect', () => lane && clearInterval(lane));
    data(await request(socket, 'exam:choose-language', { language: i % 2 ? 'kk' : 'ru' }));
    let snapshot: ExamSnapshot;
    if (stage(i) === 'started') {
      await h.passPrestart(socket);
      snapshot = data(await request<ExamSnapshot>(socket, 'exam:start'));
      for (const [k, q] of snapshot.questions.slice(0, (i * 7) % 25).entries())
        data(await request(socket, 'answer:save', { questionId: q.id, optionIds: [q.options[0]!.id], rev: k + 1 }));
    } else snapshot = data(await request<ExamSnapshot>(socket, 'exam:resume'));
    let seq = snapshot.nextSeq;
    out.push({
      socket,
      sessionId: link.sessionId,
      snapshot,
      name: [surname, givenName, patronymic].filter(Boolean).join(' '),
      async incident(type, evidenceClip = clip) {
        const id = randomBytes(9).toString('base64url');
        const jpeg = evidenceClip.jpegAt(45);
        const sha256 = createHash('sha256').update(jpeg).digest('hex');
        const start = Date.now() - 4_000;
        data(
          await request(socket, 'event:log', {
            seq: seq++,
            id: `ev-${id}`,
            type: 'incident.open',
            at: Date.now(),
            data: { incident: { id, type, start, end: null, confidence: 0.91, detail: {} }, evidenceSha256: sha256 },
          }),
        );
        data(await request(socket, 'evidence:upload', { incidentId: id, sha256, jpeg: new Uint8Array(jpeg) }));
        return id;
      },
    });
  }
  return out;
}
