/** A document that contradicts itself or the Rules is refused before it is drawn. */
import { describe, expect, it } from 'vitest';
import type { DocumentInputs } from '../../shared/documents';
import { checkAppealDecision, checkFailureNotice, checkProtocol, checkRecognition, checkViolationAct, DocumentInputError } from './checks';
import { renderDocument } from './render';
import { sampleDocumentInputs } from './sample-inputs';

// The checks never look at the snapshot's bytes.
const sample = (): DocumentInputs => sampleDocumentInputs({ phone: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]) });

describe('protocol (rules 15–17)', () => {
  const base = () => sample().protocol;
  it.each([
    ['23 of 30 (76.7 %), practical done: passed', { theory: { correct: 23, total: 30 } }, null],
    ['22 of 30 (73.3 %) is more than 70 %', { theory: { correct: 22, total: 30 } }, null],
    ['21 of 30 is exactly 70 %: not enough to pass', { theory: { correct: 21, total: 30 }, practical: null }, /more than 70/],
    ['21 of 30 with a practical stage: not admitted to it', { theory: { correct: 21, total: 30 }, decision: 'failed' }, /not admitted/],
    ['21 of 30, no practical, failed: consistent', { theory: { correct: 21, total: 30 }, practical: null, decision: 'failed' }, null],
    ['practical failed but decision passed', { practical: { assessedAt: 0, items: [], passed: false } }, /practical task/],
    ['practical done, decision failed (commission may fail)', { decision: 'failed' }, null],
    ['more correct than questions', { theory: { correct: 31, total: 30 } }, /between 0/],
    ['no questions', { theory: { correct: 0, total: 0 } }, /at least one question/],
    ['no chair', { commission: [{ fullName: 'А', role: 'member', signedAt: null }] }, /one chair/],
    ['bad IIN', { candidate: { fullName: 'А', iin: '12345' } }, /IIN/],
    ['bad date', { drawnUpOn: '2026-02-30' }, /no such date/],
    ['unknown time zone', { centre: { name: { kk: 'а', ru: 'а' }, accreditationNo: '0001', timeZone: 'Mars/Olympus' } }, /time zone/],
    [
      'accreditation number not 4 digits',
      { centre: { name: { kk: 'а', ru: 'а' }, accreditationNo: '12', timeZone: 'Asia/Almaty' } },
      /4 digits/,
    ],
  ] as const)('%s', (_name, change, error) => {
    const input = { ...base(), ...change } as DocumentInputs['protocol'];
    if (error) {
      expect(() => checkProtocol(input)).toThrow(DocumentInputError);
      expect(() => checkProtocol(input)).toThrow(error);
    } else expect(() => checkProtocol(input)).not.toThrow();
  });
});

describe('other documents', () => {
  it('an act records at least one violation and a real SHA-256 head', () => {
    expect(() => checkViolationAct(sample()['violation-act'])).not.toThrow();
    expect(() => checkViolationAct({ ...sample()['violation-act'], violations: [] })).toThrow(/at least one violation/);
    expect(() => checkViolationAct({ ...sample()['violation-act'], log: { ...sample()['violation-act'].log, headHash: 'abc' } })).toThrow(
      /SHA-256/,
    );
  });

  it('a failure notice is only for a failed procedure', () => {
    const notice = sample()['failure-notice'];
    expect(() => checkFailureNotice(notice)).not.toThrow();
    expect(() => checkFailureNotice({ ...notice, practical: { passed: true } })).toThrow(/failed procedure/);
    expect(() => checkFailureNotice({ ...notice, practical: { passed: true }, endedForViolation: true })).not.toThrow();
    expect(() => checkFailureNotice({ ...notice, theory: { correct: 10, total: 30 }, practical: null })).not.toThrow();
    expect(() => checkFailureNotice({ ...notice, recommendations: [{ topic: { kk: 'а', ru: 'а' }, wrong: 5, asked: 4 }] })).toThrow(
      /wrong answers/,
    );
  });

  it('an upheld appeal, and only it, says when the document is due (rule 23)', () => {
    const appeal = sample()['appeal-decision'];
    expect(() => checkAppealDecision(appeal)).not.toThrow();
    expect(() => checkAppealDecision({ ...appeal, documentDueBy: null })).toThrow(/rule 23/);
    expect(() => checkAppealDecision({ ...appeal, decision: 'rejected' })).toThrow(/rule 23/);
    expect(() => checkAppealDecision({ ...appeal, decision: 'rejected', documentDueBy: null })).not.toThrow();
    expect(() => checkAppealDecision({ ...appeal, decidedOn: '2026-01-11' })).toThrow(/after the registration/);
  });

  it('a recognition document has its number, an http(s) address for the QR and a validity after issue', () => {
    const doc = sample().recognition;
    expect(() => checkRecognition(doc)).not.toThrow();
    expect(() => checkRecognition({ ...doc, verificationUrl: 'javascript:alert(1)' })).toThrow(/http/);
    expect(() => checkRecognition({ ...doc, serialNumber: ' ' })).toThrow(/serial/);
    expect(() => checkRecognition({ ...doc, validUntil: '2026-01-08' })).toThrow(/after the date of issue/);
    expect(() => checkRecognition({ ...doc, validUntil: null })).not.toThrow();
  });

  it('renderDocument refuses such an input before drawing anything', async () => {
    await expect(renderDocument('protocol', { ...sample().protocol, theory: { correct: 21, total: 30 } }, 'kk')).rejects.toThrow(
      DocumentInputError,
    );
  });
});
