/**
 * Rule 6's notice on the moved exam's own link (rules 7, 11): whether the centre is moving the exam and,
 * once it has, the new date and time window in the centre's zone. The new link itself comes from the centre.
 */
import { useEffect, useState } from 'react';
import type { RescheduleNotice as Notice } from '../shared/reschedule';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { formatDateTime } from '../ui/number-format';

/** The exam's reschedule notice, null while there is none; read again whenever `version` changes (a filing). */
export function useRescheduleNotice(token: string, version = 0): Notice | null {
  const [notice, setNotice] = useState<Notice | null>(null);
  useEffect(() => {
    let live = true;
    fetch('/api/exam/reschedule', { headers: { Authorization: `Bearer ${token}` } })
      .then((res) => (res.ok ? (res.json() as Promise<{ data: Notice | null }>) : { data: null }))
      // No notice can be read: the page shows none, and the centre's letter still reaches the candidate.
      .then(
        (body) => live && setNotice(body.data),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [token, version]);
  return notice;
}

export function RescheduleNoticeText({ notice }: { notice: Notice }) {
  const t = useT();
  const language = useUiLanguage();
  const text =
    notice.state === 'rescheduled' && notice.newWindow
      ? t('reschedule.rescheduled', {
          start: formatDateTime(notice.newWindow.start, language, notice.timeZone),
          end: formatDateTime(notice.newWindow.end, language, notice.timeZone),
        })
      : notice.state === 'refused'
        ? t('reschedule.refused')
        : t('reschedule.open');
  return (
    <p role="status" className="card" data-testid="reschedule-notice" data-state={notice.state}>
      {text}
    </p>
  );
}

export function RescheduleNotice(props: { token: string }) {
  const notice = useRescheduleNotice(props.token);
  return notice ? <RescheduleNoticeText notice={notice} /> : null;
}
