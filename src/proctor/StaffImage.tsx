/**
 * A picture the centre serves to staff (an evidence snapshot, an identity photo, the reference photo), fetched
 * with the bearer token into an object URL that is revoked when the picture leaves the screen. An evidence
 * snapshot is uploaded just after its incident, so a miss is retried a few times.
 */
import { useEffect, useState } from 'react';
import { jpegUrl } from '../session/staff-api';
import { useControlRoom } from './control-room-context';

export function evidencePath(sessionId: string, incidentId: string): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}/evidence/${encodeURIComponent(incidentId)}`;
}
export function referencePath(sessionId: string): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}/identity/reference`;
}

export function StaffImage(props: { path: string; alt: string; className?: string; testId?: string; retries?: number; missing?: string }) {
  const { token } = useControlRoom();
  const [url, setUrl] = useState<string | null>(null);
  const [gone, setGone] = useState(false);
  const retries = props.retries ?? 10;
  useEffect(() => {
    let cancelled = false;
    let made: string | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    setUrl(null);
    setGone(false);
    const attempt = async (left: number): Promise<void> => {
      // Failure shown: null is retried below and then shown as 'no picture'.
      const got = await jpegUrl(token, props.path).catch(() => null);
      if (cancelled) {
        if (got) URL.revokeObjectURL(got);
        return;
      }
      if (got) {
        made = got;
        setUrl(got);
      } else if (left > 0) timer = setTimeout(() => void attempt(left - 1), 1_000);
      else setGone(true);
    };
    void attempt(retries);
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
      if (made) URL.revokeObjectURL(made);
    };
  }, [token, props.path, retries]);
  if (url) return <img className={props.className} src={url} alt={props.alt} data-testid={props.testId} />;
  if (gone && props.missing) return <span className={`${props.className ?? ''} img-missing`}>{props.missing}</span>;
  return <span className={`${props.className ?? ''} img-loading`} aria-hidden="true" />;
}
