/**
 * The violation act (rule 14): drawn up by the exam commission in the cases of rule 13, kept in
 * the candidate's personal file. It carries the IIN (a record of the file), each violation with
 * its rule, time, evidence snapshot and place in the recording, the warning and the end of the
 * procedure (rule 13), the proctor's and reviewer's decisions, the commission's signatures and the
 * session log's head hash with the result of checking its chain.
 */
import type { ActActor, ActDecision, DocumentLanguage, ViolationActInput } from '../../shared/documents';
import { documentHeader, signatures, startDocument } from './blocks';
import { checkViolationAct } from './checks';
import { formatInteger, formatMoment, formatOffset, formatUtcOffset } from './format';
import { ALERT, CONTENT_WIDTH, LINE_FACTOR, MUTED } from './layout';
import { sayer } from './text';

/** The evidence snapshot's box on the page, points (about 7 × 5.3 cm). */
const SNAPSHOT_BOX = { width: 200, height: 150 } as const;

export async function renderViolationAct(input: ViolationActInput, language: DocumentLanguage): Promise<Uint8Array> {
  checkViolationAct(input);
  const centreName = input.centre.name[language];
  const { doc, flow, say } = await startDocument(language, {
    title: sayer(language)('act.title'),
    date: input.drawnUpOn,
    author: centreName,
  });
  const tz = input.centre.timeZone;
  const at = (ms: number, seconds = false) => formatMoment(ms, language, tz, seconds);

  documentHeader(flow, say, {
    centreName,
    accreditationNo: input.centre.accreditationNo,
    title: say('act.title'),
    subtitle: say('act.subtitle'),
    number: input.actNumber,
    date: input.drawnUpOn,
    language,
  });
  flow.text(say('act.intro'));
  flow.space(8);
  flow.fields([
    [say('field.candidate'), input.candidate.fullName],
    [say('field.iin'), input.candidate.iin],
    [say('field.profession'), input.programme.profession[language]],
    [say('field.nqfLevel'), formatInteger(input.programme.nqfLevel, language)],
    [say('field.mode'), say(`mode.${input.mode}`)],
    [say('field.examStart'), at(input.examStartedAt)],
    [say('field.examEnd'), input.examEndedAt === null ? say('field.examNotEnded') : at(input.examEndedAt)],
    [say('field.session'), input.sessionId],
  ]);
  flow.text(say('timeZone', { offset: formatUtcOffset(input.examStartedAt, tz) }), { size: 8, color: MUTED });

  const blocks = input.violations.map((v, i) => {
    const title = `${i + 1}. ${v.description[language]}`;
    const rows: Array<[string, string]> = [
      [say('act.violation.rule'), say('rule', { rule: v.rule })],
      [say('act.violation.time'), at(v.at, true)],
      [say('act.violation.offset'), v.recordingOffsetMs === null ? say('act.violation.noRecording') : formatOffset(v.recordingOffsetMs)],
      ...(v.snapshotJpeg ? [] : [[say('act.violation.snapshot'), say('act.violation.noSnapshot')] as [string, string]]),
    ];
    const caption = 8.5 * LINE_FACTOR;
    const height =
      flow.textHeight(title, { bold: true }) + 2 + flow.fieldsHeight(rows) + (v.snapshotJpeg ? caption + SNAPSHOT_BOX.height + 4 : 0);
    return { v, title, rows, height };
  });
  // Each violation's title, facts and snapshot stay on one page, the section's heading with the first.
  flow.heading(say('act.violations'), blocks[0]!.height);
  for (const { v, title, rows, height } of blocks) {
    flow.ensure(height);
    flow.text(title, { bold: true });
    flow.space(2);
    flow.fields(rows);
    if (v.snapshotJpeg) {
      flow.text(say('act.violation.snapshot'), { size: 8.5, color: MUTED, indent: CONTENT_WIDTH * 0.36 });
      await flow.jpeg(v.snapshotJpeg, SNAPSHOT_BOX.width, SNAPSHOT_BOX.height, CONTENT_WIDTH * 0.36);
    }
    flow.space(6);
  }

  flow.heading(say('act.steps'));
  const step = (s: { at: number; by: ActActor } | null, none: string) =>
    s === null
      ? none
      : say('act.step', {
          at: at(s.at, true),
          by: s.by.kind === 'automatic' ? say('act.by.automatic') : say('act.by.staff', { name: s.by.fullName }),
        });
  flow.fields([
    [say('act.warning'), step(input.warning, say('act.warning.none'))],
    [say('act.termination'), step(input.termination, say('act.termination.none'))],
  ]);

  const decision = <K extends string>(d: ActDecision<K> | null, word: (k: K) => string) =>
    d === null
      ? say('act.decision.none')
      : `${word(d.decision)}\n${say('act.decision.who')}: ${d.fullName}, ${at(d.at)}\n${say('act.decision.why')}: ${d.comment}`;
  const decisions: Array<[string, string]> = [
    [say('act.proctor'), decision(input.proctorDecision, (k) => say(`decision.${k}`))],
    [say('act.reviewer'), decision(input.reviewerDecision, (k) => say(`verdict.${k}`))],
  ];
  flow.heading(say('act.decisions'), flow.fieldsHeight(decisions.slice(0, 1)));
  flow.fields(decisions);

  flow.heading(say('act.log'));
  flow.fields([
    [say('act.log.head'), input.log.headHash],
    [say('act.log.count'), formatInteger(input.log.eventCount, language)],
  ]);
  const check = input.log.verified
    ? say('act.log.verified', { at: at(input.log.checkedAt) })
    : say('act.log.broken', { at: at(input.log.checkedAt) });
  flow.fields([[say('act.log.check'), check]]);
  if (!input.log.verified) flow.text(check, { bold: true, color: ALERT });

  signatures(flow, say, language, tz, say('commission.exam'), input.commission);
  flow.footer((page, pages) => say('footer', { title: say('act.title'), number: input.actNumber, page, pages }));
  return doc.save();
}
