import { describe, expect, it } from 'vitest';
import { readExamLink } from './exam-link';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ABCDE';

describe('the exam link', () => {
  it.each([
    [`#t=${TOKEN}`, null, { kind: 'token', token: TOKEN, fromAddress: true }],
    [`#t=${TOKEN}`, 'an-earlier-token-of-this-tab-1234', { kind: 'token', token: TOKEN, fromAddress: true }],
    ['#t=AbCdEf', null, { kind: 'invalid' }], // cut short when copied
    ['#t=', null, { kind: 'invalid' }],
    [`#t=${TOKEN.slice(0, 10)}%20${TOKEN.slice(10)}`, null, { kind: 'invalid' }], // a space inside
    ['#t=AbCdEf', 'an-earlier-token-of-this-tab-1234', { kind: 'invalid' }], // never silently the old exam
    ['', 'an-earlier-token-of-this-tab-1234', { kind: 'token', token: 'an-earlier-token-of-this-tab-1234', fromAddress: false }],
    ['', null, { kind: 'none' }],
    ['#/review', null, { kind: 'none' }],
  ])('%s (stored %s)', (hash, stored, expected) => {
    expect(readExamLink(hash, stored)).toEqual(expected);
  });
});
