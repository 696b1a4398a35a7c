/**
 * Rule 11: exams suspended for a technical fault, for the centre to set a new date. Read from
 * GET /api/reschedule-tasks (proctors and admins), again whenever a session on the dashboard
 * turns 'suspended'.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { api } from '../session/staff-api';
import type { RescheduleTask } from '../shared/protocol';
import { staffStore } from '../stores/staff-store';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';

export function RescheduleTasks() {
  const t = useT();
  const lang = useUiLanguage();
  const token = useStore(staffStore, (s) => s.auth?.token ?? null);
  const suspended = useStore(staffStore, (s) => Object.values(s.sessions).filter((x) => x.status === 'suspended').length);
  const [tasks, setTasks] = useState<RescheduleTask[] | null>(null);
  useEffect(() => {
    if (!token) return;
    let live = true;
    api<RescheduleTask[]>('/api/reschedule-tasks', token).then(
      (list) => live && setTasks(list),
      () => live && setTasks(null),
    );
    return () => {
      live = false;
    };
  }, [token, suspended]);
  if (tasks === null) return null;
  return (
    <section aria-labelledby="reschedule-title" className="reschedule" data-testid="reschedule-tasks">
      <h2 id="reschedule-title">{t('reschedule.title')}</h2>
      {tasks.length === 0 ? <p>{t('reschedule.none')}</p> : null}
      <ul>
        {tasks.map((task) => (
          <li key={task.sessionId} data-testid="reschedule-task" data-session-id={task.sessionId}>
            {t('reschedule.item', {
              name: task.candidateName,
              profession: task.profession[lang],
              time: task.suspendedAt ? new Date(task.suspendedAt).toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU') : '—',
              reason: task.reason ? t(`incident.${task.reason}` as MessageKey) : t('reschedule.unknownReason'),
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}
