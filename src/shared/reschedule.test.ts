/** Rules 7, 11: the sick-leave certificate's check by its first bytes, and the reschedule bodies. */
import { describe, expect, it } from 'vitest';
import {
  certificateType,
  checkCertificate,
  MAX_CERTIFICATE_BYTES,
  refuseRescheduleBodySchema,
  rescheduleBodySchema,
  sickLeaveBodySchema,
} from './reschedule';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('the certificate', () => {
  it('is told by its first bytes: PDF, JPEG, PNG', () => {
    expect(certificateType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(certificateType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('image/jpeg');
    expect(certificateType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
  });

  it('refuses other files, whatever they are called: HTML, a truncated signature, a GIF, an executable', () => {
    expect(certificateType(new TextEncoder().encode('<html><script>'))).toBeNull();
    expect(certificateType(new TextEncoder().encode('%PDF'))).toBeNull();
    expect(certificateType(bytes(0xff, 0xd8))).toBeNull();
    expect(certificateType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a))).toBeNull();
    expect(certificateType(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(certificateType(bytes(0x4d, 0x5a, 0x90, 0))).toBeNull();
    expect(checkCertificate(new TextEncoder().encode('hello'))).toEqual({ ok: false, reason: 'not_a_certificate_file' });
  });

  it('is refused empty or over the size, accepted at the size exactly', () => {
    expect(checkCertificate(bytes())).toEqual({ ok: false, reason: 'empty_file' });
    const at = new Uint8Array(MAX_CERTIFICATE_BYTES);
    at.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
    expect(checkCertificate(at)).toEqual({ ok: true, type: 'application/pdf' });
    const over = new Uint8Array(MAX_CERTIFICATE_BYTES + 1);
    over.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
    expect(checkCertificate(over)).toEqual({ ok: false, reason: 'too_large' });
  });
});

describe('the bodies', () => {
  const id = '6f1c6a7e-1f7b-4b7a-9a55-3f1f3d1f9e10';
  it('a sick leave needs the exam, a note and base64 bytes', () => {
    expect(sickLeaveBodySchema.safeParse({ sessionId: id, note: 'Sick leave 12-16 April', certificate: 'JVBERi0=' }).success).toBe(true);
    expect(sickLeaveBodySchema.safeParse({ sessionId: id, note: '  ', certificate: 'JVBERi0=' }).success).toBe(false);
    expect(sickLeaveBodySchema.safeParse({ sessionId: id, note: 'x', certificate: 'not base64!' }).success).toBe(false);
    expect(sickLeaveBodySchema.safeParse({ sessionId: 'x', note: 'x', certificate: 'JVBERi0=' }).success).toBe(false);
  });

  it('a new window ends after it starts and lasts at most 14 days; a refusal says why', () => {
    expect(rescheduleBodySchema.safeParse({ windowStart: 1_000, windowEnd: 2_000 }).success).toBe(true);
    const order = rescheduleBodySchema.safeParse({ windowStart: 2_000, windowEnd: 2_000 });
    expect(order.success ? null : order.error.issues[0]!.message).toBe('window_order');
    const long = rescheduleBodySchema.safeParse({ windowStart: 1, windowEnd: 1 + 14 * 24 * 3600_000 + 1 });
    expect(long.success ? null : long.error.issues[0]!.message).toBe('window_too_long');
    expect(refuseRescheduleBodySchema.safeParse({ reason: '' }).success).toBe(false);
    expect(refuseRescheduleBodySchema.safeParse({ reason: 'The certificate ends before the exam day' }).success).toBe(true);
  });
});
