/**
 * The sample documents from a seeded finished procedure rather than hand-written inputs. A real
 * centre runs in-process (createCentreServer on a temporary SQLite store with the demo seed, listening on
 * 127.0.0.1 on a free port: the exam itself goes through the candidate's socket), and through its sockets
 * and routes: a candidate passes (practical recorded, protocol drawn and signed by the chair and a member,
 * the document on recognition issued), another fails the theory (the failure notice), a third exam is
 * ended for a repeated violation (rule 13: the violation act). Each stored PDF is then read back from the
 * centre in Kazakh and Russian, as the commission downloads it.
 *
 * The appeal decision still comes from sample-inputs.ts: the appeals routes (rules 20-23) are not on
 * main yet, so no procedure can produce one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DocumentKind } from '../shared/documents';
import type { IssuedDocumentView } from '../shared/procedure-api';
import { renderDocument } from '../server/documents/render';
import { loadSampleEvidence, sampleDocumentInputs } from '../server/documents/sample-inputs';
import { startHarness } from '../testing/centre-harness';
import { commission, drawAndSign, getBytes, practicalBody, setCentreTime, takeExam, terminatedExam } from '../testing/procedure-steps';

export interface WrittenDocument {
  kind: DocumentKind;
  language: 'kk' | 'ru';
  file: string;
  bytes: Uint8Array;
  /** 'procedure': read from the seeded centre; 'sample': rendered from sample-inputs.ts (the appeal decision). */
  source: 'procedure' | 'sample';
}

const LANGS = ['kk', 'ru'] as const;

/** Runs the seeded procedure and writes `<kind>.<kk|ru>.pdf` for each of the five kinds into `out`. */
export async function writeSeededDocuments(out: string): Promise<WrittenDocument[]> {
  mkdirSync(out, { recursive: true });
  const h = await startHarness();
  try {
    // A Tuesday with no holiday near (the calendar holds 2025-2027), so the deadlines printed are plain weekdays.
    setCentreTime(h, '2026-04-14');
    const c = await commission(h);
    const passed = await takeExam(h, 27, 'kk');
    const practical = await h.http('PUT', `/api/procedures/${passed.sessionId}/practical`, c.member, await practicalBody(h));
    if (practical.status !== 200) throw new Error(`practical: ${practical.status} ${JSON.stringify(practical.body)}`);
    const passedDocs = (await drawAndSign(h, c, passed.sessionId)).documents;
    const failedDocs = (await drawAndSign(h, c, (await takeExam(h, 12, 'ru')).sessionId)).documents;
    const terminatedDocs = (await drawAndSign(h, c, (await terminatedExam(h, 'ru')).sessionId)).documents;
    const pick = (docs: IssuedDocumentView[], kind: string) => {
      const d = docs.find((x) => x.kind === kind);
      if (!d) throw new Error(`the seeded procedure issued no ${kind}`);
      return d;
    };
    const issued: Array<[DocumentKind, IssuedDocumentView]> = [
      ['violation-act', pick(terminatedDocs, 'violation-act')],
      ['protocol', pick(passedDocs, 'protocol')],
      ['recognition', pick(passedDocs, 'recognition')],
      ['failure-notice', pick(failedDocs, 'failure-notice')],
    ];
    const written: WrittenDocument[] = [];
    const write = (kind: DocumentKind, language: 'kk' | 'ru', bytes: Uint8Array, source: WrittenDocument['source']) => {
      const file = path.join(out, `${kind}.${language}.pdf`);
      writeFileSync(file, bytes);
      written.push({ kind, language, file, bytes, source });
    };
    for (const [kind, doc] of issued) {
      for (const language of LANGS) {
        const res = await getBytes(h, `/api/documents/${doc.id}?lang=${language}`, c.chair);
        if (res.status !== 200) throw new Error(`${kind} ${language}: ${res.status}`);
        write(kind, language, res.bytes, 'procedure');
      }
    }
    const appeal = sampleDocumentInputs(await loadSampleEvidence())['appeal-decision'];
    for (const language of LANGS) write('appeal-decision', language, await renderDocument('appeal-decision', appeal, language), 'sample');
    return written;
  } finally {
    await h.close();
  }
}
