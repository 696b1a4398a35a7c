/**
 * Evidence snapshots on their way to the centre: queued in the durable outbox, sent one at a
 * time, kept until the server acknowledges them (it deduplicates by incidentId), retried after a
 * failure. The incident's log entry carries the hash, so the stored file can always be matched
 * to the entry it proves.
 */
import { DurableOutbox, memoryStorage } from './durable-outbox';

export interface EvidenceItem {
  incidentId: string;
  sha256: string;
  jpeg: Uint8Array;
}

export type UploadEvidence = (item: EvidenceItem) => Promise<unknown>;
/** What a refused upload means: 'retry' later (link failure), 'drop' (the server will never take it), 'stop' (the exam is closed). */
export type EvidenceFailure = 'retry' | 'drop' | 'stop';

export class EvidenceUploads {
  /** Without a box: one in memory (tests, and a page without IndexedDB). */
  constructor(readonly box: DurableOutbox = EvidenceUploads.memoryBox()) {}

  private static memoryBox(): DurableOutbox {
    const box = new DurableOutbox();
    void box.attach(memoryStorage());
    return box;
  }

  push(item: EvidenceItem): void {
    if (this.box.pending<EvidenceItem>('evidence').some((q) => q.payload.incidentId === item.incidentId)) return;
    this.box.add('evidence', item, item.jpeg.byteLength);
  }

  get size(): number {
    return this.box.status().kinds.evidence.items;
  }

  get bytes(): number {
    return this.box.status().kinds.evidence.bytes;
  }

  get dropped(): number {
    return this.box.status().kinds.evidence.dropped;
  }

  drain(upload: UploadEvidence, onFailure: (err: unknown) => EvidenceFailure = () => 'retry'): Promise<boolean> {
    return this.box.drain<EvidenceItem>('evidence', upload, (err) => onFailure(err));
  }
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
