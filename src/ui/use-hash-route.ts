/** The id a `#/<page>/<id>` address names, kept in step with the address bar (hashchange). */
import { useEffect, useState } from 'react';

export function useHashRoute(route: RegExp): string | null {
  const read = () => (typeof window === 'undefined' ? null : (route.exec(window.location.hash)?.[1] ?? null));
  const [id, setId] = useState(read);
  useEffect(() => {
    const update = () => setId(read());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- the route is a module constant at each caller
  return id;
}
