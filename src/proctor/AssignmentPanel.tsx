/**
 * Admins: who watches whom. Proctors with how many candidates they have and their limit; assign the selected
 * sessions, or a programme's sessions of one day, to a proctor; or unassign. The centre refuses an assignment
 * over a proctor's limit (409), shown in plain words.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { ApiError, assign, roster, staffUsers, type Assignment, type Roster, type StaffUser } from '../session/staff-api';
import { FINISHED_STATUSES } from '../shared/limits';
import { staffStore } from '../stores/staff-store';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { formats } from './format';

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function AssignmentPanel() {
  const t = useT();
  const lang = useUiLanguage();
  const f = formats(lang);
  const token = useStore(staffStore, (s) => s.auth?.token ?? null);
  const sessions = useStore(staffStore, (s) => s.sessions);
  const [users, setUsers] = useState<StaffUser[] | null>(null);
  const [programmes, setProgrammes] = useState<Roster['programmes']>([]);
  const [proctorId, setProctorId] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [showFinished, setShowFinished] = useState(false);
  const [programmeId, setProgrammeId] = useState('');
  const [day, setDay] = useState(today);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(() => {
    if (!token) return;
    staffUsers(token).then(
      (list) => setUsers(list),
      () => setError(t('cr.assign.loadFailed')),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);
  useEffect(() => {
    refresh();
    if (token)
      roster(token).then(
        (r) => setProgrammes(r.programmes),
        () => setError(t('cr.assign.loadFailed')),
      );
  }, [refresh, token, t]);

  const proctors = (users ?? []).filter((u) => u.role === 'proctor');
  const list = useMemo(
    () =>
      Object.values(sessions)
        .filter((s) => showFinished || !FINISHED_STATUSES.includes(s.status))
        .sort((a, b) => a.candidateName.localeCompare(b.candidateName)),
    [sessions, showFinished],
  );
  // Selections only of sessions still listed.
  useEffect(() => {
    setSelected((sel) => {
      const ids = new Set(list.map((s) => s.sessionId));
      return [...sel].every((id) => ids.has(id)) ? sel : new Set([...sel].filter((id) => ids.has(id)));
    });
  }, [list]);

  const run = (body: Assignment) => {
    if (!token) return;
    setBusy(true);
    setError(null);
    setDone(null);
    assign(token, body)
      .then(
        (r) => {
          setDone(t('cr.assign.done', { count: f.n(r.assigned) }));
          setSelected(new Set());
          refresh();
        },
        (e: unknown) =>
          setError(
            e instanceof ApiError && e.status === 409
              ? t('cr.assign.overLimit')
              : e instanceof ApiError && e.status === 403
                ? t('cr.error.forbidden')
                : t('cr.assign.failed'),
          ),
      )
      .finally(() => setBusy(false));
  };
  const assignSelected = (e: FormEvent) => {
    e.preventDefault();
    if (!proctorId) return setError(t('cr.assign.chooseProctor'));
    if (selected.size === 0) return setError(t('cr.assign.chooseSessions'));
    run({ proctorId, sessionIds: [...selected] });
  };
  const unassignSelected = () => {
    if (selected.size === 0) return setError(t('cr.assign.chooseSessions'));
    run({ proctorId: null, sessionIds: [...selected] });
  };
  const assignProgramme = (e: FormEvent) => {
    e.preventDefault();
    if (!proctorId) return setError(t('cr.assign.chooseProctor'));
    if (!programmeId || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return setError(t('cr.assign.chooseProgramme'));
    run({ proctorId, programmeId, day });
  };
  const toggle = (id: string) =>
    setSelected((sel) => {
      const next = new Set(sel);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section className="assignment card-wide" aria-labelledby="assign-title" data-testid="assignment-panel">
      <h2 id="assign-title">{t('cr.assign.title')}</h2>
      <table className="sessions" data-testid="assign-proctors">
        <caption className="visually-hidden">{t('cr.assign.proctors')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cr.assign.proctor')}</th>
            <th scope="col">{t('cr.assign.assigned')}</th>
            <th scope="col">{t('cr.assign.limit')}</th>
          </tr>
        </thead>
        <tbody>
          {proctors.map((u) => (
            <tr key={u.id} data-testid="assign-proctor" data-user-id={u.id}>
              <th scope="row">
                {u.displayName} ({u.username})
              </th>
              <td className={u.assigned >= u.limit ? 'warning' : undefined}>{f.n(u.assigned)}</td>
              <td>{f.n(u.limit)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {users !== null && proctors.length === 0 ? <p>{t('cr.assign.noProctors')}</p> : null}
      <label className="field">
        {t('cr.assign.proctor')}
        <select value={proctorId} onChange={(e) => setProctorId(e.target.value)} data-testid="assign-proctor-select">
          <option value="">{t('cr.assign.chooseProctorOption')}</option>
          {proctors.map((u) => (
            <option key={u.id} value={u.id}>
              {t('cr.assign.proctorOption', { name: u.displayName, assigned: f.n(u.assigned), limit: f.n(u.limit) })}
            </option>
          ))}
        </select>
      </label>
      <div className="assign-forms">
        <form onSubmit={assignSelected} aria-labelledby="assign-sessions-title">
          <h3 id="assign-sessions-title">{t('cr.assign.bySessions')}</h3>
          <label className="inline">
            <input type="checkbox" checked={showFinished} onChange={(e) => setShowFinished(e.target.checked)} />{' '}
            {t('cr.assign.showFinished')}
          </label>
          <div className="assign-list" tabIndex={0} role="group" aria-label={t('cr.assign.sessions')}>
            {list.length === 0 ? <p className="hint">{t('proctor.none')}</p> : null}
            {list.map((s) => (
              <label key={s.sessionId} className="inline assign-session">
                <input
                  type="checkbox"
                  checked={selected.has(s.sessionId)}
                  onChange={() => toggle(s.sessionId)}
                  data-testid="assign-session"
                  data-session-id={s.sessionId}
                />{' '}
                {t('cr.assign.sessionLine', {
                  name: s.candidateName,
                  code: s.programmeCode,
                  proctor: s.assignedTo?.name ?? t('cr.assign.nobody'),
                })}
              </label>
            ))}
          </div>
          <div className="button-row">
            <button type="submit" className="primary" disabled={busy} data-testid="assign-submit">
              {t('cr.assign.assignSelected', { count: f.n(selected.size) })}
            </button>
            <button type="button" disabled={busy} onClick={unassignSelected} data-testid="assign-unassign">
              {t('cr.assign.unassignSelected', { count: f.n(selected.size) })}
            </button>
          </div>
        </form>
        <form onSubmit={assignProgramme} aria-labelledby="assign-programme-title">
          <h3 id="assign-programme-title">{t('cr.assign.byProgramme')}</h3>
          <label className="field">
            {t('cr.filterProgramme')}
            <select value={programmeId} onChange={(e) => setProgrammeId(e.target.value)} data-testid="assign-programme">
              <option value="">{t('cr.assign.chooseProgrammeOption')}</option>
              {programmes.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.code}: {p.profession[lang]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            {t('cr.assign.day')}
            <input type="date" value={day} onChange={(e) => setDay(e.target.value)} data-testid="assign-day" />
          </label>
          <button type="submit" className="primary" disabled={busy} data-testid="assign-programme-submit">
            {t('cr.assign.assignProgramme')}
          </button>
        </form>
      </div>
      {error ? (
        <p role="alert" className="error" data-testid="assign-error">
          {error}
        </p>
      ) : null}
      <p role="status" className="ok" data-testid="assign-done">
        {done ?? ''}
      </p>
    </section>
  );
}
