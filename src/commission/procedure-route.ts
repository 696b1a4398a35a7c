/** Issue 13: #/procedure/<session id> opens a procedure's page on the commission's screens. */
import { useEffect, useState } from 'react';

const ROUTE = /^#\/procedure\/([0-9a-f-]{36})$/i;

export const procedureHref = (sessionId: string | null): string => (sessionId ? `#/procedure/${sessionId}` : '#/');

export function useProcedureRoute(): string | null {
  const read = () => (typeof window === 'undefined' ? null : (ROUTE.exec(window.location.hash)?.[1] ?? null));
  const [id, setId] = useState(read);
  useEffect(() => {
    const update = () => setId(read());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return id;
}
