import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH } from './canonical-json';

describe('canonicalJson', () => {
  it('does not depend on key insertion order', () => {
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe(canonicalJson({ c: 3, a: 2, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('sorts keys in nested objects, including objects inside arrays, and keeps array order', () => {
    const a = {
      z: [
        { y: 1, x: [3, 2, 1] },
        { b: null, a: 'ä' },
      ],
      m: { d: { f: true, e: false } },
    };
    const b = {
      m: { d: { e: false, f: true } },
      z: [
        { x: [3, 2, 1], y: 1 },
        { a: 'ä', b: null },
      ],
    };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"m":{"d":{"e":false,"f":true}},"z":[{"x":[3,2,1],"y":1},{"a":"ä","b":null}]}');
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('has no whitespace and round-trips through JSON.parse', () => {
    const value = { text: 'a b\n"c"', list: [1, 'two', null, { k: 'v' }], n: -1.5 };
    const text = canonicalJson(value);
    expect(text).toBe('{"list":[1,"two",null,{"k":"v"}],"n":-1.5,"text":"a b\\n\\"c\\""}');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('drops undefined object members', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ nested: { x: undefined } })).toBe('{"nested":{}}');
  });

  it('writes undefined as null where JSON has no way to drop it (top level, array slot)', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([1, undefined, 3])).toBe('[1,null,3]');
  });

  it('encodes scalars as JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(0)).toBe('0');
    expect(canonicalJson('қазақ "тілі"')).toBe('"қазақ \\"тілі\\""');
  });

  it.each([NaN, Infinity, -Infinity])('throws on the non-finite number %s, also when nested', (n) => {
    expect(() => canonicalJson(n)).toThrow(/non-finite/);
    expect(() => canonicalJson({ a: [1, { b: n }] })).toThrow(/non-finite/);
  });

  it('GENESIS_HASH is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });
});
