/**
 * The centre's staff: accounts and roles, a new account or a password reset with the password
 * the centre made shown once, and who is being slowed down by wrong passwords, which an admin can lift.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { staffCreateSchema, settingErrors, type IssuedPassword, type StaffAccount } from '../shared/admin-staff';
import { STAFF_ROLES, type StaffRole } from '../shared/protocol';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { adminApi, AdminApiError, errorCode } from './admin-api';
import { formatDateTime } from './admin-format';
import { errorKey } from './message-keys';
import { useCentreZone } from '../stores/centre-zone';

const roleKey = (role: string): MessageKey => `role.${role}` as MessageKey;

function RoleSelect(props: { value: StaffRole; onChange: (r: StaffRole) => void; label: string; id?: string }) {
  const t = useT();
  return (
    <select
      id={props.id}
      value={props.value}
      aria-label={props.id ? undefined : props.label}
      onChange={(e) => props.onChange(e.target.value as StaffRole)}
    >
      {STAFF_ROLES.map((r) => (
        <option key={r} value={r}>
          {t(roleKey(r))}
        </option>
      ))}
    </select>
  );
}

export function StaffPage(props: { token: string }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const [staff, setStaff] = useState<StaffAccount[]>([]);
  const [issued, setIssued] = useState<(IssuedPassword & { kind: 'created' | 'reset' }) | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState({ username: '', displayName: '', role: 'proctor' as StaffRole });
  const reload = useCallback(() => {
    adminApi<StaffAccount[]>('/api/admin/staff', props.token).then(setStaff, (e: unknown) => setFailure(errorCode(e)));
  }, [props.token]);
  useEffect(reload, [reload]);

  const fail = (e: unknown) => {
    setFailure(errorCode(e));
    setFieldErrors(e instanceof AdminApiError ? ((e.error.fields as Record<string, string> | undefined) ?? {}) : {});
  };
  const create = (e: FormEvent) => {
    e.preventDefault();
    const checked = staffCreateSchema.safeParse(draft);
    if (!checked.success) return setFieldErrors(settingErrors(checked.error));
    setFailure(null);
    setFieldErrors({});
    adminApi<IssuedPassword>('/api/admin/staff', props.token, { method: 'POST', body: checked.data }).then((p) => {
      setIssued({ ...p, kind: 'created' });
      setDraft({ username: '', displayName: '', role: 'proctor' });
      reload();
    }, fail);
  };
  const update = (u: StaffAccount, role: StaffRole) =>
    adminApi(`/api/admin/staff/${u.id}`, props.token, { method: 'PUT', body: { displayName: u.displayName, role } }).then(() => {
      setFailure(null);
      reload();
    }, fail);
  const reset = (u: StaffAccount) =>
    adminApi<IssuedPassword>(`/api/admin/staff/${u.id}/password`, props.token, { method: 'POST', body: {} }).then((p) => {
      setIssued({ ...p, kind: 'reset' });
      reload();
    }, fail);
  const unlock = (u: StaffAccount) =>
    adminApi(`/api/admin/staff/${u.id}/unlock`, props.token, { method: 'POST', body: {} }).then(reload, fail);
  const fieldError = (f: string) =>
    fieldErrors[f] ? (
      <span id={`staff-${f}-error`} className="error field-error">
        {t(errorKey(fieldErrors[f]!))}
      </span>
    ) : null;

  return (
    <>
      <section className="card admin-wide" aria-labelledby="staff-title">
        <h2 id="staff-title">{t('admin.staff.title')}</h2>
        {failure ? (
          <p role="alert" className="error">
            {t(errorKey(failure))}
          </p>
        ) : null}
        {issued ? (
          <div className="admin-link" role="status" data-testid="staff-password">
            <p>
              {t(issued.kind === 'created' ? 'admin.staff.createdPassword' : 'admin.staff.resetPassword', { username: issued.username })}
            </p>
            <p>
              <code>{issued.password}</code>
            </p>
            <p className="hint">{t('admin.staff.passwordOnce')}</p>
          </div>
        ) : null}
        <table className="admin-table" data-testid="staff-list">
          <thead>
            <tr>
              <th scope="col">{t('admin.staff.name')}</th>
              <th scope="col">{t('admin.staff.username')}</th>
              <th scope="col">{t('admin.staff.role')}</th>
              <th scope="col">{t('admin.staff.lockout')}</th>
              <th scope="col">
                <span className="sr-only">{t('admin.staff.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {staff.map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.displayName}</th>
                <td>{u.username}</td>
                <td>
                  <RoleSelect value={u.role} onChange={(r) => void update(u, r)} label={t('admin.staff.roleOf', { name: u.displayName })} />
                </td>
                <td data-testid="staff-lockout">
                  {u.slowedUntil
                    ? t('admin.staff.slowed', { until: formatDateTime(u.slowedUntil, language, zone), n: u.slowedAddresses })
                    : t('admin.staff.notSlowed')}
                </td>
                <td>
                  <div className="admin-inline">
                    <button type="button" onClick={() => void reset(u)} aria-label={t('admin.staff.resetOf', { name: u.displayName })}>
                      {t('admin.staff.reset')}
                    </button>
                    {u.slowedUntil ? (
                      <button type="button" onClick={() => void unlock(u)} aria-label={t('admin.staff.unlockOf', { name: u.displayName })}>
                        {t('admin.staff.unlock')}
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card admin-wide" aria-labelledby="staff-new-title">
        <h2 id="staff-new-title">{t('admin.staff.new')}</h2>
        <form onSubmit={create} className="admin-grid" noValidate>
          <div className="admin-field">
            <label htmlFor="staff-displayName">{t('admin.staff.name')}</label>
            <input
              id="staff-displayName"
              value={draft.displayName}
              onChange={(e) => setDraft({ ...draft, displayName: e.target.value })}
              aria-invalid={fieldErrors.displayName ? true : undefined}
              aria-describedby={fieldErrors.displayName ? 'staff-displayName-error' : undefined}
            />
            {fieldError('displayName')}
          </div>
          <div className="admin-field">
            <label htmlFor="staff-username">{t('admin.staff.username')}</label>
            <input
              id="staff-username"
              value={draft.username}
              autoComplete="off"
              onChange={(e) => setDraft({ ...draft, username: e.target.value })}
              aria-invalid={fieldErrors.username ? true : undefined}
              aria-describedby={fieldErrors.username ? 'staff-username-error' : undefined}
            />
            {fieldError('username')}
          </div>
          <div className="admin-field">
            <label htmlFor="staff-role">{t('admin.staff.role')}</label>
            <RoleSelect
              id="staff-role"
              value={draft.role}
              onChange={(role) => setDraft({ ...draft, role })}
              label={t('admin.staff.role')}
            />
          </div>
          <div className="admin-actions admin-span">
            <button type="submit" className="primary">
              {t('admin.staff.create')}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
