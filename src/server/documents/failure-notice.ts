/**
 * The failure notice (rule 19): the decision, the possibility to retake the theory and practical
 * stages, recommendations for improving knowledge and skills (the topics of the questions answered
 * wrongly, with counts, never the answer key), and the appeal's last day (rule 20). It leaves the
 * centre, so it carries the name but not the IIN.
 */
import type { DocumentLanguage, FailureNoticeInput } from '../../shared/documents';
import { documentHeader, HEAD_SIGNATURE_HEIGHT, headSignature, startDocument } from './blocks';
import { checkFailureNotice } from './checks';
import { formatDate, formatInteger, formatMoment, formatShare } from './format';
import { sayer } from './text';

export async function renderFailureNotice(input: FailureNoticeInput, language: DocumentLanguage): Promise<Uint8Array> {
  checkFailureNotice(input);
  const centreName = input.centre.name[language];
  const { doc, flow, say } = await startDocument(language, {
    title: sayer(language)('notice.title'),
    date: input.issuedOn,
    author: centreName,
  });
  const n = (value: number) => formatInteger(value, language);

  documentHeader(flow, say, {
    centreName,
    accreditationNo: input.centre.accreditationNo,
    title: say('notice.title'),
    subtitle: say('notice.subtitle'),
    number: input.noticeNumber,
    date: input.issuedOn,
    language,
  });
  flow.fields([[say('notice.to'), input.candidate.fullName]]);
  flow.space(6);
  flow.text(say('notice.body'));
  flow.space(6);
  flow.fields([
    [say('field.profession'), input.programme.profession[language]],
    [say('field.nqfLevel'), n(input.programme.nqfLevel)],
    [say('notice.procedureDate'), formatMoment(input.procedureStartedAt, language, input.centre.timeZone)],
    [say('field.protocol'), say('protocol.ref', { number: input.protocol.number, date: formatDate(input.protocol.signedOn, language) })],
  ]);

  const { correct, total } = input.theory;
  flow.heading(say('notice.results'));
  flow.fields([
    [
      say('notice.theory'),
      say('notice.theoryValue', { correct: n(correct), total: n(total), percent: formatShare(correct, total, language) }),
    ],
    [
      say('notice.practical'),
      input.practical === null ? say('notice.practical.none') : say(input.practical.passed ? 'result.passed' : 'result.failed'),
    ],
  ]);
  if (input.endedForViolation) flow.text(say('notice.violation'), { bold: true });

  flow.heading(say('notice.retake'));
  flow.text(say('notice.retakeText'));

  flow.heading(say('notice.recommendations'));
  if (input.recommendations.length === 0) {
    flow.text(say('notice.recommendations.none'));
  } else {
    flow.text(say('notice.recommendationsIntro'));
    flow.space(4);
    flow.table(
      [
        { title: say('col.number'), share: 0.07, align: 'right' },
        { title: say('notice.topic'), share: 0.63 },
        { title: say('notice.wrong'), share: 0.3 },
      ],
      input.recommendations.map((r, i) => [
        n(i + 1),
        r.topic[language],
        say('notice.wrongValue', { wrong: n(r.wrong), asked: n(r.asked) }),
      ]),
    );
  }

  // The appeal section and the head's signature stay together: a signature never stands alone on a page.
  const appealText = say('notice.appealText', { date: formatDate(input.appealUntil, language) });
  flow.ensure(flow.textHeight(say('notice.appeal'), { size: 11.5, bold: true }) + flow.textHeight(appealText) + 18 + HEAD_SIGNATURE_HEIGHT);
  flow.heading(say('notice.appeal'));
  flow.text(appealText);
  flow.space(10);
  headSignature(flow, say, say('notice.head'), input.centre.headFullName);

  flow.footer((page, pages) => say('footer', { title: say('notice.title'), number: input.noticeNumber, page, pages }));
  return doc.save();
}
