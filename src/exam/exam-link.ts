/**
 * The exam link's token, from the address's fragment (#t=…), pure: a link
 * whose token is cut short or mangled (a copy that lost its end, a line break in an e-mail) is an
 * invalid link, not a page opened without one.
 */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,200}$/;

export type ExamLink = { kind: 'token'; token: string; fromAddress: boolean } | { kind: 'invalid' } | { kind: 'none' };

/** `hash`: location.hash; `stored`: the token this tab kept from an earlier load (sessionStorage). */
export function readExamLink(hash: string, stored: string | null): ExamLink {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (params.has('t')) {
    const token = (params.get('t') ?? '').trim();
    return TOKEN_PATTERN.test(token) ? { kind: 'token', token, fromAddress: true } : { kind: 'invalid' };
  }
  return stored && TOKEN_PATTERN.test(stored) ? { kind: 'token', token: stored, fromAddress: false } : { kind: 'none' };
}
