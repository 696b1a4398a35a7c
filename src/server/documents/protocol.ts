/**
 * The exam commission's protocol (rule 17): the theory result against rule 15's "more than 70 %",
 * the practical task against the technological map (rule 16), the violation acts if any
 * (rules 12–14), the decision and what follows from it (rules 18–20), and the members' signatures.
 */
import type { DocumentLanguage, ProtocolInput } from '../../shared/documents';
import { isAdmitted } from '../../shared/scoring';
import { documentHeader, signatures, startDocument } from './blocks';
import { checkProtocol } from './checks';
import { formatInteger, formatMoment, formatShare, formatUtcOffset } from './format';
import { MUTED } from './layout';
import { sayer } from './text';

export async function renderProtocol(input: ProtocolInput, language: DocumentLanguage): Promise<Uint8Array> {
  checkProtocol(input);
  const centreName = input.centre.name[language];
  const { doc, flow, say } = await startDocument(language, {
    title: sayer(language)('protocol.title'),
    date: input.drawnUpOn,
    author: centreName,
  });
  const tz = input.centre.timeZone;
  const at = (ms: number) => formatMoment(ms, language, tz);

  documentHeader(flow, say, {
    centreName,
    accreditationNo: input.centre.accreditationNo,
    title: say('protocol.title'),
    subtitle: say('protocol.subtitle'),
    number: input.protocolNumber,
    date: input.drawnUpOn,
    language,
  });
  flow.text(say('protocol.intro'));
  flow.space(8);
  flow.fields([
    [say('field.candidate'), input.candidate.fullName],
    [say('field.iin'), input.candidate.iin],
    [say('field.profession'), input.programme.profession[language]],
    [say('field.nqfLevel'), formatInteger(input.programme.nqfLevel, language)],
    [say('field.mode'), say(`mode.${input.mode}`)],
    [say('field.language'), say(`language.${input.examLanguage}`)],
    [say('field.examStart'), at(input.procedureStartedAt)],
    [say('field.examEnd'), at(input.procedureEndedAt)],
  ]);
  flow.text(say('timeZone', { offset: formatUtcOffset(input.procedureStartedAt, tz) }), { size: 8, color: MUTED });

  const { correct, total } = input.theory;
  const admitted = isAdmitted(correct, total);
  flow.heading(say('protocol.theory'));
  flow.fields([
    [
      say('protocol.theory.score'),
      say('protocol.theory.scoreValue', {
        correct: formatInteger(correct, language),
        total: formatInteger(total, language),
        percent: formatShare(correct, total, language),
      }),
    ],
    [say('protocol.theory.rule'), say('protocol.theory.ruleValue')],
    [say('protocol.theory.result'), say(admitted ? 'protocol.theory.admitted' : 'protocol.theory.notAdmitted')],
  ]);

  flow.heading(say('protocol.practical'));
  if (input.practical === null) {
    flow.text(say('protocol.practical.none'));
  } else {
    flow.fields([[say('protocol.practical.assessedAt'), at(input.practical.assessedAt)]]);
    flow.space(4);
    flow.table(
      [
        { title: say('col.number'), share: 0.07, align: 'right' },
        { title: say('protocol.practical.item'), share: 0.42 },
        { title: say('protocol.practical.result'), share: 0.19 },
        { title: say('protocol.practical.comment'), share: 0.32 },
      ],
      input.practical.items.map((item, i) => [
        formatInteger(i + 1, language),
        item.title[language],
        say(item.passed ? 'result.passed' : 'result.failed'),
        item.comment ?? '',
      ]),
    );
    flow.text(say(input.practical.passed ? 'protocol.practical.passed' : 'protocol.practical.failed'), { bold: true });
  }

  flow.heading(say('protocol.violations'));
  if (input.violations.length === 0) flow.text(say('protocol.violations.none'));
  for (const v of input.violations) {
    flow.text(say('protocol.violation', { act: v.actNumber, description: v.description[language], rule: say('rule', { rule: v.rule }) }));
  }

  flow.heading(say('protocol.decision'));
  flow.text(say(input.decision === 'passed' ? 'protocol.decision.passed' : 'protocol.decision.failed'), { bold: true, size: 11 });
  flow.space(2);
  flow.text(say(input.decision === 'passed' ? 'protocol.next.passed' : 'protocol.next.failed'));

  signatures(flow, say, language, tz, say('commission.exam'), input.commission);
  flow.footer((page, pages) => say('footer', { title: say('protocol.title'), number: input.protocolNumber, page, pages }));
  return doc.save();
}
