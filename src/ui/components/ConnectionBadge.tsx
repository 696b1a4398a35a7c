import type { ConnectionStatus } from '../../session/candidate-connection';
import { useT } from '../i18n/i18n';

export function ConnectionBadge(props: { status: ConnectionStatus }) {
  const t = useT();
  const text =
    props.status === 'online' ? t('conn.online') : props.status === 'reconnecting' ? t('conn.reconnecting') : t('common.loading');
  return (
    <p className={`conn conn-${props.status}`} role="status" data-testid="connection">
      <span className="dot" aria-hidden="true" />
      {text}
    </p>
  );
}
