/**
 * Staff pages: log-in, then the control room for proctors and admins (admins also assign proctors and have the admin console, src/admin/),
 * or the session list for reviewers.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { AdminPageView, AdminTabs, useAdminPage, type AdminPage } from '../admin/AdminConsole';
import { AppealsPage } from '../appeals/AppealsPage';
import { AssignmentPanel } from '../proctor/AssignmentPanel';
import { CommissionApp } from '../commission/CommissionApp';
import { ProctorDashboard } from '../proctor/ProctorDashboard';
import { ReferencePhotos } from '../review/ReferencePhotos';
import { ReviewSessions } from '../review/ReviewSessions';
import { reviewHash, useHashRoute } from '../review/review-route';
import { SessionReview } from '../review/SessionReview';
import { api, login } from '../session/staff-api';
import { setAuth, setCentreTimeZone, staffStore } from '../stores/staff-store';
import { LanguageSwitcher } from '../ui/components/LanguageSwitcher';
import { useT } from '../ui/i18n/i18n';

function LoginForm() {
  const t = useT();
  const [error, setError] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    login(String(form.get('username') ?? ''), String(form.get('password') ?? ''))
      .then(
        (auth) => setAuth(auth),
        () => setError(true),
      )
      .finally(() => setBusy(false));
  };
  return (
    <form className="card login" onSubmit={submit} aria-labelledby="login-title">
      <h1 id="login-title">{t('staff.title')}</h1>
      <label>
        {t('staff.username')}
        <input name="username" autoComplete="username" required />
      </label>
      <label>
        {t('staff.password')}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error ? (
        <p role="alert" className="error">
          {t('staff.loginFailed')}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {t('staff.login')}
      </button>
    </form>
  );
}

export function StaffApp() {
  const t = useT();
  const auth = useStore(staffStore, (s) => s.auth);
  const live = useStore(staffStore, (s) => s.live);
  const [adminPage, setAdminPage] = useAdminPage();
  // A log-in kept over a reload carries the zone it was given: the centre's current one is asked once per page.
  const token = auth?.token ?? null;
  useEffect(() => {
    if (!token) return;
    // Without an answer the zone the log-in was given stays in use.
    api<{ timeZone?: string }>('/api/staff/me', token).then(
      (me) => me.timeZone && setCentreTimeZone(me.timeZone),
      () => undefined,
    );
  }, [token]);
  // #/review/<session id> opens a session's review page (reviewers and admins).
  const reviewing = useHashRoute();
  const mayReview = auth?.role === 'reviewer' || auth?.role === 'admin';
  const chooseAdminPage = (page: AdminPage) => {
    setAdminPage(page);
    if (reviewing) window.location.hash = reviewHash(null);
  };
  const logout = () => {
    // Logging out goes on in this browser whatever the centre answers (the token expires there anyway).
    if (auth) void api('/api/staff/logout', auth.token, { method: 'POST', body: {} }).catch(() => undefined);
    setAuth(null);
  };
  return (
    <div className="page staff">
      <header className="top">
        <span className="brand">{t('app.name')}</span>
        {auth ? (
          <>
            <span className="tagline">
              {auth.role === 'reviewer'
                ? t('review.title')
                : auth.role === 'commission_chair' || auth.role === 'commission_member'
                  ? t('cm.title')
                  : auth.role === 'appeal_commission'
                    ? t('appeals.title')
                    : t('proctor.title')}
            </span>
            {(auth.role === 'proctor' || auth.role === 'admin') && !(auth.role === 'admin' && adminPage !== 'control') ? (
              <span className={`conn ${live ? 'conn-online' : 'conn-reconnecting'}`} role="status">
                <span className="dot" aria-hidden="true" />
                {live ? t('conn.online') : t('conn.offline')}
              </span>
            ) : null}
            <span>{t('staff.signedInAs', { name: auth.displayName, role: t(`role.${auth.role}`) })}</span>
            <button type="button" onClick={logout}>
              {t('staff.logout')}
            </button>
          </>
        ) : null}
        <LanguageSwitcher />
      </header>
      {auth?.role === 'admin' ? <AdminTabs page={adminPage} onChange={chooseAdminPage} /> : null}
      <main>
        {auth && reviewing && mayReview ? (
          <SessionReview sessionId={reviewing} token={auth.token} onBack={() => (window.location.hash = reviewHash(null))} />
        ) : auth?.role === 'admin' && adminPage !== 'control' ? (
          <AdminPageView page={adminPage} token={auth.token} />
        ) : (
          <>
            {!auth ? (
              <LoginForm />
            ) : auth.role === 'appeal_commission' ? (
              <AppealsPage token={auth.token} />
            ) : auth.role === 'reviewer' ? (
              <ReviewSessions />
            ) : auth.role === 'proctor' || auth.role === 'admin' ? (
              <ProctorDashboard />
            ) : auth.role === 'commission_chair' || auth.role === 'commission_member' ? (
              <CommissionApp token={auth.token} role={auth.role} />
            ) : (
              <p className="card" role="status">
                {t('admin.role.noPages')}
              </p>
            )}
            {auth && auth.role === 'admin' ? <AssignmentPanel /> : null}
            {auth?.role === 'reviewer' ? <ReferencePhotos /> : null}
          </>
        )}
      </main>
    </div>
  );
}
