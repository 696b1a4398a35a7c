/**
 * Evidence snapshots on their way to the centre: kept until the server acknowledges them,
 * sent one at a time, retried after a failure. The incident's log entry carries the hash,
 * so the stored file can always be matched to the entry it proves.
 */
export interface EvidenceItem {
  incidentId: string;
  sha256: string;
  jpeg: Uint8Array;
}

export type UploadEvidence = (item: EvidenceItem) => Promise<unknown>;

/** What a refused upload means: 'retry' later (link failure) or 'drop' (the server will never take it). */
export type EvidenceFailure = 'retry' | 'drop';

export class EvidenceUploads {
  private readonly queue: EvidenceItem[] = [];
  private sending = false;
  dropped = 0;

  push(item: EvidenceItem): void {
    if (!this.queue.some((q) => q.incidentId === item.incidentId)) this.queue.push(item);
  }

  get size(): number {
    return this.queue.length;
  }

  get bytes(): number {
    return this.queue.reduce((n, q) => n + q.jpeg.byteLength, 0);
  }

  async drain(upload: UploadEvidence, onFailure: (err: unknown) => EvidenceFailure = () => 'retry'): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        try {
          await upload(this.queue[0]!);
        } catch (err) {
          if (onFailure(err) === 'retry') return;
          this.dropped++;
        }
        this.queue.shift();
      }
    } finally {
      this.sending = false;
    }
  }
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
