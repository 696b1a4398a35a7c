import { describe, expect, it } from 'vitest';
import { dummyPasswordHash, hashPassword, hashToken, newToken, verifyPassword } from './auth';

// scrypt takes about 100 ms per call: the tests below keep the number of hashes small.
describe('passwords (scrypt)', () => {
  it('round-trips, refuses a wrong password, and salts every hash', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    const again = await hashPassword('correct horse battery staple');
    expect(again).not.toBe(stored);
    expect(await verifyPassword('correct horse battery staple', again)).toBe(true);
  });

  it('verifies NFC-equivalent passwords the same (composed й vs и + combining breve)', async () => {
    const composed = 'Құпия\u0439сөз';
    const decomposed = 'Құпия\u0438\u0306сөз';
    expect(composed).not.toBe(decomposed);
    expect(composed.normalize('NFC')).toBe(decomposed.normalize('NFC'));
    // Both directions: the hash side and the verify side must each normalise.
    expect(await verifyPassword(composed, await hashPassword(decomposed))).toBe(true);
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('refuses a tampered key', async () => {
    const stored = await hashPassword('secret');
    const parts = stored.split('$');
    const key = Buffer.from(parts[5]!, 'base64url');
    key[0] = key[0]! ^ 1;
    parts[5] = key.toString('base64url');
    expect(await verifyPassword('secret', parts.join('$'))).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['not a hash', 'secret'],
    ['another scheme', 'bcrypt$32768$8$1$c2FsdA$a2V5'],
    ['missing key', 'scrypt$32768$8$1$c2FsdA'],
    ['empty salt', 'scrypt$32768$8$1$$a2V5'],
    ['empty parameters', 'scrypt$$$$c2FsdA$a2V5'],
    // These pass the field check and used to reach scrypt:
    ['a key that decodes to no bytes (would match any password)', 'scrypt$32768$8$1$c2FsdA$@@@'],
    ['a key shorter than 32 bytes', 'scrypt$32768$8$1$c2FsdA$a2V5'],
    ['N not a number', `scrypt$abc$8$1$c2FsdA$${'A'.repeat(43)}`],
    ['N not a power of two', `scrypt$3$8$1$c2FsdA$${'A'.repeat(43)}`],
    ['N over the memory cap', `scrypt$1048576$8$1$c2FsdA$${'A'.repeat(43)}`],
  ])('a malformed stored hash (%s) verifies as false', async (_name, stored) => {
    await expect(verifyPassword('secret', stored)).resolves.toBe(false);
  });

  it('the dummy hash for unknown users is a real scrypt hash, made once', async () => {
    const a = await dummyPasswordHash();
    expect(a.startsWith('scrypt$')).toBe(true);
    expect(await dummyPasswordHash()).toBe(a);
  });
});

describe('tokens', () => {
  it('newToken is 43 characters of base64url (256 bits) and unique', () => {
    const tokens = Array.from({ length: 200 }, newToken);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('hashToken is 64 hex characters, deterministic and different per token', () => {
    const t = newToken();
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).toBe(hashToken(t));
    expect(hashToken(t)).not.toBe(hashToken(newToken()));
    // SHA-256 of the UTF-8 text: a known vector.
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
