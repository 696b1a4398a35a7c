/**
 * Rule 18: the admin downloads the results to enter in the National Qualification System, as the CSV of
 * GET /api/exports/nqs (docs/nqs-export.md) for a range of the centre's dates. The range is checked here
 * with the same schema the centre uses, so a wrong range is explained before anything is sent.
 */
import { useState, type FormEvent } from 'react';
import { nqsQuerySchema, nqsRangeReason } from '../shared/nqs-export';
import { centreDate } from '../shared/working-days';
import { useT } from '../ui/i18n/i18n';
import { errorKey } from './message-keys';

export function NqsExportPanel(props: { token: string; timeZone: string }) {
  const t = useT();
  const today = centreDate(Date.now(), props.timeZone);
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [status, setStatus] = useState<{ ok: boolean; code: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = nqsQuerySchema.safeParse({ from, to, format: 'csv' });
    if (!checked.success) return setStatus({ ok: false, code: nqsRangeReason(checked.error) ?? 'invalid' });
    try {
      const res = await fetch(`/api/exports/nqs?${new URLSearchParams({ from, to, format: 'csv' })}`, {
        headers: { Authorization: `Bearer ${props.token}` },
      });
      if (!res.ok) {
        // A body that is not JSON: the status alone says what went wrong (below).
        const body = (await res.json().catch(() => null)) as { error?: { code?: string; reason?: string } } | null;
        return setStatus({ ok: false, code: body?.error?.reason ?? body?.error?.code ?? 'internal' });
      }
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `nqs-${from}-${to}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus({ ok: true, code: '' });
    } catch {
      setStatus({ ok: false, code: 'network' });
    }
  };

  return (
    <section className="card admin-wide" aria-labelledby="nqs-title">
      <h2 id="nqs-title">{t('admin.nqs.title')}</h2>
      <p className="hint">{t('admin.nqs.hint')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="admin-grid">
        <div className="admin-field">
          <label htmlFor="nqs-from">{t('admin.nqs.from')}</label>
          <input
            id="nqs-from"
            type="date"
            value={from}
            onChange={(e) => {
              setFrom(e.target.value);
              setStatus(null);
            }}
          />
        </div>
        <div className="admin-field">
          <label htmlFor="nqs-to">{t('admin.nqs.to')}</label>
          <input
            id="nqs-to"
            type="date"
            value={to}
            onChange={(e) => {
              setTo(e.target.value);
              setStatus(null);
            }}
          />
        </div>
        <div className="admin-actions admin-span">
          <button type="submit" className="primary" data-testid="nqs-download">
            {t('admin.nqs.download')}
          </button>
          <span role="status" className={status?.ok ? 'ok' : 'error'} data-testid="nqs-status">
            {status ? (status.ok ? t('admin.nqs.downloaded') : t(errorKey(status.code))) : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
