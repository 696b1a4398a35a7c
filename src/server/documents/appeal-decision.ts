/**
 * The appeal commission's decision (rules 20–23): the appeal's number and registration date
 * (rule 21), the candidate's text as written, the decision within 5 working days (rule 22) with
 * its reasons, and, when upheld, that the document on recognition is issued as rule 18 sets
 * (rule 23), with the last day for it.
 */
import type { AppealDecisionInput, DocumentLanguage } from '../../shared/documents';
import { documentHeader, signatures, startDocument } from './blocks';
import { checkAppealDecision } from './checks';
import { formatDate, formatInteger } from './format';
import { LINE_FACTOR } from './layout';
import { sayer } from './text';

export async function renderAppealDecision(input: AppealDecisionInput, language: DocumentLanguage): Promise<Uint8Array> {
  checkAppealDecision(input);
  const centreName = input.centre.name[language];
  const { doc, flow, say } = await startDocument(language, {
    title: sayer(language)('appeal.title'),
    date: input.decidedOn,
    author: centreName,
  });
  const date = (iso: string) => formatDate(iso, language);

  documentHeader(flow, say, {
    centreName,
    accreditationNo: input.centre.accreditationNo,
    title: say('appeal.title'),
    subtitle: say('appeal.subtitle', { number: input.appealNumber }),
    number: input.appealNumber,
    date: input.decidedOn,
    language,
  });
  flow.fields([
    [say('field.candidate'), input.candidate.fullName],
    [say('field.iin'), input.candidate.iin],
    [say('field.profession'), input.programme.profession[language]],
    [say('field.nqfLevel'), formatInteger(input.programme.nqfLevel, language)],
    [say('appeal.registeredOn'), date(input.registeredOn)],
    [
      say('appeal.contested'),
      `${say('field.protocol')} ${say('protocol.ref', { number: input.protocol.number, date: date(input.protocol.signedOn) })}`,
    ],
  ]);

  flow.heading(say('appeal.summary'));
  flow.text(input.summary, { indent: 12 });

  flow.heading(say('appeal.decision'));
  flow.ensure(3 * 11 * LINE_FACTOR);
  flow.text(say(input.decision === 'upheld' ? 'appeal.upheld' : 'appeal.rejected'), { bold: true, size: 11 });
  flow.space(2);
  flow.fields([[say('appeal.decidedOn'), date(input.decidedOn)]]);
  flow.space(2);
  flow.text(`${say('appeal.reasons')}:`, { bold: true });
  flow.text(input.reasons, { indent: 12 });
  flow.space(4);
  flow.text(input.documentDueBy === null ? say('appeal.next.rejected') : say('appeal.next.upheld', { date: date(input.documentDueBy) }));

  signatures(flow, say, language, input.centre.timeZone, say('commission.appeal'), input.commission);
  flow.footer((page, pages) => say('footer', { title: say('appeal.title'), number: input.appealNumber, page, pages }));
  return doc.save();
}
