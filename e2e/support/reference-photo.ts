/** The admin uploads the candidate's reference photo (rule 2.8.6), as the admin console does; it must be accepted. */
import { expect } from 'vitest';
import type { Harness } from '../../src/testing/centre-harness';

export async function uploadReference(centre: Harness, jpeg: Uint8Array): Promise<void> {
  const admin = await centre.staffToken('admin');
  const res = await fetch(`${centre.url}/api/candidates/${centre.candidateId}/reference-photo`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'image/jpeg' },
    body: Buffer.from(jpeg),
  });
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);
}
