/** Where the candidate is on the way to the first question: the steps this programme has, the current one marked. */
import { useStore } from 'zustand';
import { examStore } from '../stores/exam-store';
import { useT, type MessageKey } from '../ui/i18n/i18n';
import { PRESTART_PHASES } from './phase';

export function StepProgress(props: { current: (typeof PRESTART_PHASES)[number] }) {
  const t = useT();
  const steps = useStore(examStore, (s) => s.snapshot?.proctoring.config.steps);
  const shown = PRESTART_PHASES.filter(
    (p) =>
      !(
        (p === 'system-check' && steps?.systemCheck === false) ||
        (p === 'identity' && steps?.identity === false) ||
        (p === 'room-scan' && steps?.roomScan === false)
      ),
  );
  return (
    <nav aria-label={t('steps.label')} className="step-progress">
      <ol>
        {shown.map((p) => (
          <li key={p} aria-current={p === props.current ? 'step' : undefined} className={p === props.current ? 'current' : undefined}>
            {p === props.current ? (
              <strong>
                {t(`steps.${p}` as MessageKey)} ({t('steps.current')})
              </strong>
            ) : (
              t(`steps.${p}` as MessageKey)
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
