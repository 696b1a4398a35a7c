/**
 * A picture the centre serves to reviewers (an evidence snapshot, an identity photo, the reference photo), fetched with
 * the bearer token into an object URL that is revoked when the picture leaves the screen. (Features do not import each
 * other: this is the review page's own, beside the control room's StaffImage.)
 */
import { useEffect, useState } from 'react';
import { jpegUrl } from '../session/staff-api';

export const evidencePath = (sessionId: string, incidentId: string) =>
  `/api/sessions/${encodeURIComponent(sessionId)}/evidence/${encodeURIComponent(incidentId)}`;
export const referencePath = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}/identity/reference`;

export function ReviewImage(props: { token: string; path: string; alt: string; className?: string; testId?: string; missing: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [gone, setGone] = useState(false);
  useEffect(() => {
    let cancelled = false;
    let made: string | null = null;
    setUrl(null);
    setGone(false);
    void jpegUrl(props.token, props.path)
      // Failure shown: null becomes 'no picture' below.
      .catch(() => null)
      .then((got) => {
        if (cancelled) {
          if (got) URL.revokeObjectURL(got);
        } else if (got) {
          made = got;
          setUrl(got);
        } else setGone(true);
      });
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [props.token, props.path]);
  if (url) return <img className={props.className} src={url} alt={props.alt} data-testid={props.testId} />;
  if (gone)
    return (
      <span className={`${props.className ?? ''} img-missing`} data-testid={props.testId ? `${props.testId}-missing` : undefined}>
        {props.missing}
      </span>
    );
  return <span className={`${props.className ?? ''} img-loading`} aria-hidden="true" />;
}
