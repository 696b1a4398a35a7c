/**
 * The steps before the first question, as the centre records them: the system check
 * report and its bandwidth probes, consent to Appendix 1, and the 360° room scan (rule 2.8.3).
 * Identity (rule 2.8.6) is recorded by the identity service into the same prestart record.
 *
 * Every step is taken only while the session is 'issued' and after the language is chosen
 * (rule 9), in the order the candidate sees them: system check → consent → identity → room scan,
 * a step switched off for the programme being skipped. ExamService.start checks the record again
 * before it starts the clock (missingPrestartStep).
 */
import { findConsentText } from '../shared/consent';
import { SYSTEM_CHECK_ITEMS, type ConsentRecord, type ExamSnapshot, type RoomScanReport, type SystemCheckReport } from '../shared/protocol';
import type { Clock } from './clock';
import { ExamError, type ExamService } from './exam-service';
import { MISSING_STEP_MESSAGE, missingPrestartStep, type PrestartStep } from './prestart-steps';
import type { ExamSessionRow, Store } from './store/store';

/**
 * A scan counts as the full turn from this coverage on, with the camera back at its starting view.
 * The browser's tracker (src/proctoring/room-scan.ts) allows 10° short of 360° because its 60°-wide
 * view covers the rest; the centre applies the same bound to what it is told.
 */
export const ROOM_SCAN_MIN_COVERAGE_DEG = 350;

export class PrestartService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly exams: ExamService,
  ) {}

  /** The session, if a step before the exam may be taken now; `step` must follow the steps before it. */
  private async open(sessionId: string, step: PrestartStep | null): Promise<ExamSessionRow> {
    const s = await this.exams.session(sessionId);
    if (s.status !== 'issued') throw new ExamError('conflict', 'the steps before the exam are taken before it starts, not after');
    if (!s.language) throw new ExamError('conflict', 'choose the exam language first (rule 9)');
    if (step) {
      const missing = missingPrestartStep(
        await this.store.getPrestart(sessionId),
        (await this.exams.proctoringConfig(s.programmeId)).steps,
        step,
        await this.exams.accommodationsOf(s),
      );
      if (missing) throw new ExamError('conflict', `${MISSING_STEP_MESSAGE[missing]}: finish that step first`);
    }
    return s;
  }

  /** A bandwidth probe: acked once its bytes have arrived, so the browser can time the upload. */
  async probe(sessionId: string, bytes: Uint8Array): Promise<{ bytes: number }> {
    await this.open(sessionId, null);
    return { bytes: bytes.byteLength };
  }

  /** The browser's own check of itself; a failed report is logged too (the proctor sees why). */
  async systemCheck(sessionId: string, report: SystemCheckReport): Promise<ExamSnapshot> {
    await this.open(sessionId, null);
    // The whole check or nothing: every item the browser checks is in the report with its verdict.
    const missing = SYSTEM_CHECK_ITEMS.filter((item) => !report.items.some((i) => i.item === item));
    if (missing.length > 0) throw new ExamError('invalid', `the system check report lacks ${missing.join(', ')}: report every item`);
    const at = this.clock.now();
    await this.store.updatePrestart(sessionId, { systemCheck: { ok: report.ok, at } });
    // failedItems: the feed's one-line summary ("—" when everything passed); the items keep every figure.
    const failedItems =
      report.items
        .filter((i) => !i.ok)
        .map((i) => i.item)
        .join(', ') || '—';
    await this.exams.logServerEvent(sessionId, 'system.checked', { ...report, failedItems });
    return this.exams.snapshot(sessionId);
  }

  /** Appendix 1: only a text the centre knows, in the exam language, stored with the server time. */
  async consent(sessionId: string, consent: ConsentRecord): Promise<ExamSnapshot> {
    const s = await this.open(sessionId, 'consent');
    if (consent.language !== s.language)
      throw new ExamError('invalid', `consent must be given to the text in the exam language (${s.language})`);
    if (!findConsentText(consent.version, consent.language, consent.textSha256)) {
      throw new ExamError('invalid', 'unknown consent text: that version and sha256 are not a text this centre shows; reload the page');
    }
    const at = this.clock.now();
    await this.store.updatePrestart(sessionId, {
      consent: { version: consent.version, textSha256: consent.textSha256, language: consent.language, at },
    });
    await this.exams.logServerEvent(sessionId, 'consent.given', consent);
    return this.exams.snapshot(sessionId);
  }

  /** Rule 2.8.3: every attempt is recorded and logged; only a full turn back to the start counts. */
  async roomScan(sessionId: string, report: RoomScanReport): Promise<ExamSnapshot> {
    await this.open(sessionId, 'roomScan');
    const previous = (await this.store.getPrestart(sessionId)).roomScan;
    const attempts = (previous?.attempts ?? 0) + 1;
    const complete = report.complete && report.returnedToStart && report.coverageDeg >= ROOM_SCAN_MIN_COVERAGE_DEG;
    const at = this.clock.now();
    // A complete scan stays complete: a later partial attempt is logged but does not undo it.
    const record = previous?.complete ? { ...previous, attempts } : { coverageDeg: report.coverageDeg, complete, at, attempts };
    await this.store.updatePrestart(sessionId, { roomScan: record });
    await this.exams.logServerEvent(sessionId, complete ? 'room_scan.completed' : 'room_scan.failed', { ...report, attempt: attempts });
    return this.exams.snapshot(sessionId);
  }
}
