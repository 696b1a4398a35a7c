/**
 * The exam, as the server holds it: the single authority on questions, answers, the timer
 * and the grade (DESIGN §1). Socket handlers call these operations after validating the
 * payload; everything that changes a session is also written to its hash-chained log.
 */
import { accommodatedConfig, excusedIncidents, extraTimeMs, hasAccommodations, type Accommodations } from '../shared/accommodations';
import { randomInt } from 'node:crypto';
import type { ExamLanguage, SeedQuestion } from '../shared/programme';
import {
  eventLevel,
  FINISHED_STATUSES,
  type CandidateQuestion,
  type ClientEvent,
  type ExamResult,
  type ExamSnapshot,
  type PrestartState,
  type ProtocolError,
  type ServerEventType,
} from '../shared/protocol';
import { INITIAL_POLICY } from '../shared/policy';
import { resolveProctoring, type ProctoringConfig } from '../shared/proctoring-config';
import { gradeExam } from '../shared/scoring';
import type { Clock } from './clock';
import { MISSING_STEP_MESSAGE, missingPrestartStep } from './prestart-steps';
import { seqError } from './write-bounds';
import { fullName, type EventRow, type ExamSessionRow, type LoggedWrite, type PrestartRecord, type Store } from './store/store';

/** Answers that left the browser just before the deadline are still accepted for this long. */
export const ANSWER_GRACE_MS = 2_000;

export class ExamError extends Error {
  /** reason: a finer code for the UI to translate (why a reference photo was refused). */
  constructor(
    readonly code: ProtocolError['code'],
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** How long a programme's settings are kept before they are read again (a change on another node). */
export const CONFIG_CACHE_MS = 10_000;

export interface ExamListener {
  /** Something about the session changed (status, progress, connection). */
  sessionChanged(sessionId: string): void;
  /** A new entry was committed to the session's log. */
  eventAppended(event: EventRow): void;
  /** The server finished the exam by itself (time-out): tell the candidate's browser. */
  sessionFinishedByServer(sessionId: string): void;
  /** Staff changed a programme's settings here (the other nodes forget their copy too). */
  proctoringConfigChanged?(programmeId: string): void;
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function forCandidate(q: SeedQuestion, language: ExamLanguage): CandidateQuestion {
  return { id: q.id, kind: q.kind, text: q.text[language], options: q.options.map((o) => ({ id: o.id, text: o.text[language] })) };
}

export class ExamService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly listener: ExamListener,
  ) {}

  private readonly banks = new Map<string, Promise<Map<string, SeedQuestion>>>();

  /**
   * A programme's question bank with its key, by question id. Read once per programme: a bank is
   * fixed when its programme is created (nothing edits it), and every answer save needs it.
   */
  private bank(programmeId: string): Promise<Map<string, SeedQuestion>> {
    let bank = this.banks.get(programmeId);
    if (!bank) {
      bank = this.store.getQuestions(programmeId).then((qs) => new Map(qs.map((q) => [q.id, q])));
      bank.catch(() => this.banks.delete(programmeId)); // a failed read is retried next time
      this.banks.set(programmeId, bank);
    }
    return bank;
  }

  private readonly proctoringConfigs = new Map<string, { config: ProctoringConfig; at: number }>();

  /**
   * A programme's resolved proctoring settings (defaults + its overrides), validated once per programme and kept
   * for CONFIG_CACHE_MS. A change made here is seen at once; one made on another node is announced and,
   * should the announcement be missed (a node that was still joining), seen within CONFIG_CACHE_MS.
   */
  async proctoringConfig(programmeId: string): Promise<ProctoringConfig> {
    const cached = this.proctoringConfigs.get(programmeId);
    if (cached && this.clock.now() - cached.at < CONFIG_CACHE_MS) return cached.config;
    const programme = await this.store.getProgramme(programmeId);
    if (!programme) throw new ExamError('internal', 'programme missing');
    const config = resolveProctoring(programme.proctoring);
    this.proctoringConfigs.set(programmeId, { config, at: this.clock.now() });
    return config;
  }

  /**
   * The accommodations an exam runs with: its own copy once started (frozen then), before that
   * the candidate's record as it stands (what the briefing shows and the start will freeze).
   */
  async accommodationsOf(s: ExamSessionRow): Promise<Accommodations | null> {
    if (s.startedAt !== null) return s.accommodations;
    const record = await this.store.getAccommodations(s.candidateId);
    return record && hasAccommodations(record.accommodations) ? record.accommodations : null;
  }

  /** The settings rule 13 judges this exam by: the programme's, with what its accommodations excuse (accommodations.ts). */
  async sessionConfig(s: ExamSessionRow): Promise<ProctoringConfig> {
    return accommodatedConfig(await this.proctoringConfig(s.programmeId), await this.accommodationsOf(s));
  }

  /**
   * Forget a programme's cached settings after staff changed them (the next exam start reads them afresh).
   * `here`: the change was made on this node, so the others are told; false when another node told this one.
   */
  forgetProctoringConfig(programmeId: string, here = true): void {
    this.proctoringConfigs.delete(programmeId);
    if (here) this.listener.proctoringConfigChanged?.(programmeId);
  }

  async session(id: string): Promise<ExamSessionRow> {
    const s = await this.store.getSession(id);
    if (!s) throw new ExamError('not_found', 'exam session not found');
    return s;
  }

  async logServerEvent(sessionId: string, type: ServerEventType, data: unknown = null): Promise<EventRow> {
    const result = await this.store.appendEvent(sessionId, {
      origin: 'server',
      seq: null,
      eventId: null,
      type,
      clientAt: null,
      serverAt: this.clock.now(),
      data,
    });
    if (result.kind === 'conflict') throw new ExamError('internal', result.message);
    this.listener.eventAppended(result.event);
    return result.event;
  }

  /**
   * Applies a state change together with the server entries that record it, in one store transaction:
   * a crash in between can leave neither without the other. False when the write did not apply.
   */
  async writeLogged(
    sessionId: string,
    write: LoggedWrite | readonly LoggedWrite[],
    entries: readonly { type: ServerEventType; data: unknown }[],
  ): Promise<boolean> {
    const serverAt = this.clock.now();
    const result = await this.store.writeWithEvents(
      sessionId,
      write,
      entries.map((e) => ({ origin: 'server', seq: null, eventId: null, type: e.type, clientAt: null, serverAt, data: e.data })),
    );
    for (const e of result.events) this.listener.eventAppended(e);
    return result.applied;
  }

  /** The session log's head, for the documents that cite the log (violation act, protocol). */
  async headOf(sessionId: string): Promise<{ index: number; hash: string } | null> {
    const last = (await this.store.listEvents(sessionId)).at(-1);
    return last ? { index: last.index, hash: last.hash } : null;
  }

  async snapshot(sessionId: string): Promise<ExamSnapshot> {
    const s = await this.finishIfExpired(await this.session(sessionId));
    const [candidate, programme, answers, nextSeq, bank, config, prestart, reference, notes, centre, accommodations, breaksTaken] =
      await Promise.all([
        this.store.getCandidate(s.candidateId),
        this.store.getProgramme(s.programmeId),
        this.store.getAnswers(s.id),
        this.store.nextClientSeq(s.id),
        this.bank(s.programmeId),
        this.proctoringConfig(s.programmeId),
        this.store.getPrestart(s.id),
        this.store.getCandidateReference(s.candidateId),
        this.store.listNotes(s.id),
        this.store.getCentre(),
        this.accommodationsOf(s),
        this.store.countEvents(s.id, ['break.started']),
      ]);
    const window = await this.store.getExamWindow(s.id);
    if (!candidate || !programme) throw new ExamError('internal', 'session refers to a missing candidate or programme');
    let questions: CandidateQuestion[] = [];
    if (s.language && s.status === 'in_progress') {
      questions = s.questionIds.flatMap((id) => {
        const q = bank.get(id);
        return q ? [forCandidate(q, s.language!)] : [];
      });
    }
    return {
      sessionId: s.id,
      status: s.status,
      language: s.language,
      candidateName: fullName(candidate),
      profession: programme.profession,
      nqfLevel: programme.nqfLevel,
      durationMinutes: programme.durationMinutes,
      questionCount: s.questionIds.length || Math.min(programme.questionsPerExam, bank.size),
      serverNow: this.clock.now(),
      startedAt: s.startedAt,
      deadlineAt: s.deadlineAt,
      currentIndex: s.currentIndex,
      questions,
      answers: Object.fromEntries(answers.map((a) => [a.questionId, { optionIds: a.optionIds, rev: a.rev }])),
      nextSeq,
      result: s.result,
      // The browser's own incident ids start afresh after a reload: it needs the outcome and the warning, not the ids.
      proctoring: {
        config: accommodatedConfig(config, accommodations),
        policy: s.policy
          ? { ...INITIAL_POLICY, outcome: s.policy.outcome, warning: s.policy.warning, dismissed: s.policy.dismissed ?? [] }
          : INITIAL_POLICY,
      },
      prestart: prestartState(prestart, reference?.source === 'file'),
      // The proctor's pause and notes (until read), and where the candidate turns.
      paused: s.paused,
      notes: notes.filter((n) => n.acknowledgedAt === null).map(({ acknowledgedAt: _a, reply: _r, ...note }) => note),
      reference: sessionReference(s.id),
      contact: {
        centre: centre?.name ?? { kk: '', ru: '', en: '' },
        phone: centre?.contact?.phone ?? null,
        email: centre?.contact?.email ?? null,
      },
      opensAt: window?.start ?? null,
      accommodations,
      breaksTaken,
    };
  }

  async chooseLanguage(sessionId: string, language: ExamLanguage): Promise<ExamSnapshot> {
    const s = await this.session(sessionId);
    if (s.status !== 'issued')
      throw new ExamError('conflict', 'the language is chosen before the exam starts and cannot change after (rule 9)');
    if (
      s.language !== language &&
      (await this.writeLogged(sessionId, { kind: 'language', language }, [{ type: 'language.chosen', data: { language } }]))
    ) {
      this.listener.sessionChanged(sessionId);
    }
    return this.snapshot(sessionId);
  }

  async start(sessionId: string): Promise<ExamSnapshot> {
    const s = await this.session(sessionId);
    if (s.status === 'in_progress') return this.snapshot(sessionId); // a retried start is harmless
    if (s.status !== 'issued') throw new ExamError('closed', 'this exam has already ended');
    if (!s.language) throw new ExamError('conflict', 'choose the exam language first (rule 9)');
    const now = this.clock.now();
    if (now >= s.tokenExpiresAt) throw new ExamError('closed', 'this exam link has expired');
    // The window the admin scheduled. The steps before it (language, system check, consent, identity,
    // room scan) may be done early; the first question waits for the window's start, by the centre's clock.
    const window = await this.store.getExamWindow(sessionId);
    if (window && now < window.start) throw new ExamError('not_yet_open', `the exam opens at ${new Date(window.start).toISOString()}`);
    // Consent always; system check, identity (rule 2.8.6) and room scan (rule 2.8.3) as the programme requires.
    // Rule 11: an assistant the accommodations allow must have been identified with the candidate.
    const missing = missingPrestartStep(
      await this.store.getPrestart(sessionId),
      (await this.proctoringConfig(s.programmeId)).steps,
      null,
      await this.accommodationsOf(s),
    );
    if (missing) throw new ExamError('conflict', `the exam cannot start yet: ${MISSING_STEP_MESSAGE[missing]}`);
    const programme = await this.store.getProgramme(s.programmeId);
    if (!programme) throw new ExamError('internal', 'programme missing');
    const bank = [...(await this.bank(s.programmeId)).keys()];
    const drawn = shuffled(bank).slice(0, Math.min(programme.questionsPerExam, bank.length));
    // The accommodations are frozen now; extra time is part of the deadline the centre enforces.
    const record = await this.store.getAccommodations(s.candidateId);
    const accommodations = record && hasAccommodations(record.accommodations) ? record.accommodations : null;
    const extraMs = extraTimeMs(programme.durationMinutes, accommodations);
    const deadlineAt = now + programme.durationMinutes * 60_000 + extraMs;
    if (await this.store.startSession(sessionId, now, deadlineAt, drawn, accommodations)) {
      await this.logServerEvent(sessionId, 'session.started', { questionCount: drawn.length, deadlineAt });
      if (record && accommodations) {
        const config = accommodatedConfig(await this.proctoringConfig(s.programmeId), accommodations);
        await this.logServerEvent(sessionId, 'accommodations.applied', {
          accommodations,
          reason: record.reason,
          setBy: record.setBy,
          setAt: record.setAt,
          documentSha256: record.document?.sha256 ?? null,
          extraMinutes: extraMs / 60_000,
          excused: excusedIncidents(accommodations).filter((type) => !config.incidents[type].violation),
        });
      }
      this.listener.sessionChanged(sessionId);
    }
    return this.snapshot(sessionId);
  }

  private async requireInProgress(sessionId: string, graceMs = 0): Promise<ExamSessionRow> {
    const s = await this.session(sessionId);
    if (s.status !== 'in_progress') throw new ExamError('closed', 'the exam is not in progress');
    // The timer is stopped while the proctor has paused the exam; answers wait in the browser.
    if (s.paused) throw new ExamError('paused', `the proctor has paused the exam: ${s.paused.reason}`);
    if (s.deadlineAt !== null && this.clock.now() > s.deadlineAt + graceMs) {
      await this.finish(s, 'timeout');
      throw new ExamError('closed', 'the time for this exam is over');
    }
    return s;
  }

  async saveAnswer(sessionId: string, answer: { questionId: string; optionIds: string[]; rev: number }) {
    const s = await this.requireInProgress(sessionId, ANSWER_GRACE_MS);
    if (!s.questionIds.includes(answer.questionId)) throw new ExamError('invalid', 'that question is not part of this exam');
    const question = (await this.bank(s.programmeId)).get(answer.questionId)!;
    const valid = new Set(question.options.map((o) => o.id));
    const optionIds = [...new Set(answer.optionIds)];
    if (optionIds.some((id) => !valid.has(id))) throw new ExamError('invalid', 'unknown option for that question');
    if (question.kind === 'single' && optionIds.length > 1) throw new ExamError('invalid', 'a single-choice question takes one option');
    const applied = await this.writeLogged(
      sessionId,
      { kind: 'answer', answer: { questionId: answer.questionId, optionIds, rev: answer.rev, savedAt: this.clock.now() } },
      [{ type: 'answer.saved', data: { questionId: answer.questionId, optionIds, rev: answer.rev } }],
    );
    if (applied) this.listener.sessionChanged(sessionId);
    return { questionId: answer.questionId, rev: answer.rev, applied };
  }

  async navigate(sessionId: string, index: number) {
    const s = await this.requireInProgress(sessionId);
    if (index >= s.questionIds.length) throw new ExamError('invalid', 'no such question');
    await this.store.setCurrentIndex(sessionId, index);
    return { index };
  }

  async submit(sessionId: string): Promise<ExamSnapshot> {
    const s = await this.session(sessionId);
    if (FINISHED_STATUSES.includes(s.status)) return this.snapshot(sessionId); // a retried submit returns the result
    if (s.status !== 'in_progress') throw new ExamError('conflict', 'the exam has not started');
    const late = !s.paused && s.deadlineAt !== null && this.clock.now() > s.deadlineAt + ANSWER_GRACE_MS;
    await this.finish(s, late ? 'timeout' : 'candidate');
    return this.snapshot(sessionId);
  }

  async logClientEvent(sessionId: string, event: ClientEvent): Promise<{ seq: number; duplicate: boolean }> {
    const s = await this.session(sessionId);
    // Nothing from the browser is appended after the end (the browser drops what the centre refuses as closed).
    if (FINISHED_STATUSES.includes(s.status)) throw new ExamError('closed', 'the exam has ended: events are no longer taken');
    // Numbers continue from the last one (a gap for refused items, never a jump).
    const badSeq = seqError(event.seq, await this.store.nextClientSeq(sessionId));
    if (badSeq) throw new ExamError('invalid', badSeq);
    const result = await this.store.appendEvent(sessionId, {
      origin: 'client',
      seq: event.seq,
      eventId: event.id,
      type: event.type,
      clientAt: event.at,
      serverAt: this.clock.now(),
      data: event.data ?? null,
    });
    if (result.kind === 'conflict') throw new ExamError('conflict', result.message);
    if (result.kind === 'appended') {
      this.listener.eventAppended(result.event);
      // Only incidents change what the dashboard shows about the session (its incident count).
      if (eventLevel(event.type, event.data) === 'incident') this.listener.sessionChanged(sessionId);
    }
    return { seq: event.seq, duplicate: result.kind === 'duplicate' };
  }

  private async grade(s: ExamSessionRow, by: ExamResult['finishedBy']): Promise<ExamResult> {
    const bank = await this.bank(s.programmeId);
    const keyed = s.questionIds.map((id) => ({
      id,
      correctOptionIds: (bank.get(id)?.options ?? []).filter((o) => o.correct).map((o) => o.id),
    }));
    const answers = new Map((await this.store.getAnswers(s.id)).map((a) => [a.questionId, a.optionIds]));
    const graded = gradeExam(keyed, answers);
    // An exam ended for a repeated violation (rule 13) is not passed, whatever was answered by then.
    return { ...graded, admitted: by === 'terminated' ? false : graded.admitted, finishedBy: by };
  }

  /**
   * Proctoring ended the exam: 'terminated' (rule 13, a repeated violation: graded for the record,
   * not passed) or 'suspended' (rule 11, a technical fault: no result, to be rescheduled).
   * Returns false when the exam had already ended.
   */
  /** `also`: what else ends with the exam in the same transaction (a proctor's end: the policy and the candidate's note). */
  async endByProctoring(
    sessionId: string,
    status: 'terminated' | 'suspended',
    entries: readonly { type: ServerEventType; data: unknown }[] = [],
    also: readonly LoggedWrite[] = [],
  ): Promise<boolean> {
    const s = await this.session(sessionId);
    if (s.status !== 'in_progress' && s.status !== 'issued') return false;
    const result = status === 'terminated' && s.status === 'in_progress' ? await this.grade(s, 'terminated') : null;
    // The entry that says why (policy.terminated / policy.suspended) is committed with the end itself.
    if (!(await this.writeLogged(s.id, [...also, { kind: 'finish', status, finishedAt: this.clock.now(), result }], entries))) return false;
    this.listener.sessionChanged(s.id);
    this.listener.sessionFinishedByServer(s.id);
    return true;
  }

  /** Grade and close an in-progress session (rule 15). Safe to call twice: only the first wins. */
  private async finish(s: ExamSessionRow, by: ExamResult['finishedBy']): Promise<void> {
    const result = await this.grade(s, by);
    const entries = [
      ...(by === 'timeout' ? [{ type: 'exam.timeout' as const, data: { deadlineAt: s.deadlineAt } }] : []),
      {
        type: 'exam.submitted' as const,
        data: { by, correct: result.correct, total: result.total, percent: result.percent, admitted: result.admitted },
      },
    ];
    if (!(await this.writeLogged(s.id, { kind: 'finish', status: 'submitted', finishedAt: this.clock.now(), result }, entries))) return;
    this.listener.sessionChanged(s.id);
    if (by === 'timeout') this.listener.sessionFinishedByServer(s.id);
  }

  private async finishIfExpired(s: ExamSessionRow): Promise<ExamSessionRow> {
    if (s.status === 'in_progress' && !s.paused && s.deadlineAt !== null && this.clock.now() > s.deadlineAt + ANSWER_GRACE_MS) {
      await this.finish(s, 'timeout');
      return this.session(s.id);
    }
    return s;
  }

  /** Called every second by the server: submits exams whose time ran out, whether or not a browser is there. */
  async sweepExpired(): Promise<number> {
    const expired = await this.store.listExpiredInProgress(this.clock.now() - ANSWER_GRACE_MS);
    for (const s of expired) await this.finish(s, 'timeout');
    return expired.length;
  }
}

/** The centre's record of the steps before the exam, as the candidate's browser sees it. */
export function prestartState(p: PrestartRecord, hasReference: boolean): PrestartState {
  return {
    systemCheck: p.systemCheck ?? null,
    consent: p.consent ? { version: p.consent.version, at: p.consent.at } : null,
    identity: {
      hasReference,
      verifiedAt: p.identity?.verifiedAt ?? null,
      attempts: p.identity?.attempts ?? 0, // no similarity: the candidate is told matched or not
      decision: p.identity?.decision?.outcome ?? null,
    },
    roomScan: p.roomScan ? { coverageDeg: p.roomScan.coverageDeg, complete: p.roomScan.complete, at: p.roomScan.at } : null,
    assistant: p.assistant ? { acceptedAt: p.assistant.acceptedAt, attempts: p.assistant.attempts } : null, // no similarity
  };
}

/** The session's short reference for the candidate to quote (the first 8 characters of its id, upper case). */
export function sessionReference(sessionId: string): string {
  return sessionId.replace(/-/g, '').slice(0, 8).toUpperCase();
}
