/**
 * Documents are rendered in a worker thread: the same PDF contract as the renderer, a self-contradicting
 * input still a DocumentInputError, and the event loop free meanwhile (a render takes 0.2-1 s of CPU).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentWorker } from './document-renderer';
import { DocumentInputError } from './documents/checks';
import { loadSampleEvidence, sampleDocumentInputs } from './documents/sample-inputs';
import { pdfText } from '../testing/pdf-tools';

const worker = new DocumentWorker();
afterAll(() => worker.close());

describe('DocumentWorker', () => {
  it('renders off the event loop: timers keep firing while the documents are made', async () => {
    const inputs = sampleDocumentInputs(await loadSampleEvidence());
    let last = performance.now();
    let worstGap = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 10);
    try {
      const [protocol, recognition] = await Promise.all([
        worker.render('protocol', inputs.protocol, 'kk'),
        worker.render('recognition', inputs.recognition, 'ru'),
      ]);
      expect(Buffer.from(protocol.subarray(0, 5)).toString()).toBe('%PDF-');
      expect(pdfText(recognition)).toContain(inputs.recognition.serialNumber);
    } finally {
      clearInterval(tick);
    }
    // Rendering in this thread holds it for hundreds of milliseconds per document; here only the messages cross it.
    expect(worstGap).toBeLessThan(150);
  });

  it('an input that contradicts itself is refused as in the renderer', async () => {
    const inputs = sampleDocumentInputs(await loadSampleEvidence());
    const bad = { ...inputs.recognition, centre: { ...inputs.recognition.centre, accreditationNo: '42' } };
    await expect(worker.render('recognition', bad, 'kk')).rejects.toBeInstanceOf(DocumentInputError);
  });
});
