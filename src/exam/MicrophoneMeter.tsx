/** Microphone level meter driven by requestAnimationFrame straight into the DOM: per-frame values stay out of React. */
import { useEffect, useRef } from 'react';
import { useT } from '../ui/i18n/i18n';
import { useCandidateRuntime } from './runtime-context';

export function MicrophoneMeter() {
  const { microphone } = useCandidateRuntime();
  const t = useT();
  const bar = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let frame = 0;
    const tick = () => {
      const db = microphone.level();
      const fraction = Math.min(1, Math.max(0, (db + 70) / 60));
      if (bar.current) bar.current.style.width = `${Math.round(fraction * 100)}%`;
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [microphone]);
  return (
    <div className="meter" role="img" aria-label={t('devices.micLevel')}>
      <div ref={bar} className="meter-bar" />
    </div>
  );
}
