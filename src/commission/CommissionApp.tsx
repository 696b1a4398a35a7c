/** The exam commission's screens (chair and members; admins read them): the dashboard, and a procedure's page at #/procedure/<id>. */
import { useEffect, useState } from 'react';
import type { StaffRole } from '../shared/protocol';
import { useT } from '../ui/i18n/i18n';
import { procedureApi } from './commission-api';
import type { Me } from './commission-view';
import { ProcedurePage } from './ProcedurePage';
import { ProceduresDashboard } from './ProceduresDashboard';
import { useProcedureRoute } from './procedure-route';
import './commission.css';

export function CommissionApp(props: { token: string; role: StaffRole }) {
  const t = useT();
  const open = useProcedureRoute();
  const [me, setMe] = useState<Me | null>(null);
  const [failed, setFailed] = useState(false);
  // Who is signed in (their id): the page offers "Sign" only to someone the protocol names.
  useEffect(() => {
    procedureApi.me(props.token).then(
      (m) => setMe({ userId: m.userId ?? '', role: props.role }),
      () => setFailed(true),
    );
  }, [props.token, props.role]);
  if (failed)
    return (
      <p role="alert" className="error">
        {t('cm.failed')}
      </p>
    );
  if (!me) return <p role="status">{t('common.loading')}</p>;
  return open ? <ProcedurePage key={open} sessionId={open} token={props.token} me={me} /> : <ProceduresDashboard token={props.token} />;
}
