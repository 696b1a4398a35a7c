/** #/procedure/<session id> opens a procedure's page on the commission's screens. */
import { useHashRoute } from '../ui/use-hash-route';

const ROUTE = /^#\/procedure\/([0-9a-f-]{36})$/i;

export const procedureHref = (sessionId: string | null): string => (sessionId ? `#/procedure/${sessionId}` : '#/');

export const useProcedureRoute = (): string | null => useHashRoute(ROUTE);
