/** The review page's address, #/review/<session id>, so a session can be opened, bookmarked and gone back from. */
import { useEffect, useState } from 'react';

const ROUTE = /^#\/review\/([0-9a-f-]{36})$/i;

export function reviewedSession(hash: string): string | null {
  return ROUTE.exec(hash)?.[1] ?? null;
}

export function reviewHash(sessionId: string | null): string {
  return sessionId ? `#/review/${sessionId}` : '#/';
}

export function useHashRoute(): string | null {
  const [id, setId] = useState(() => (typeof window === 'undefined' ? null : reviewedSession(window.location.hash)));
  useEffect(() => {
    const update = () => setId(reviewedSession(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return id;
}
