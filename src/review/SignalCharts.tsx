/**
 * The proctoring signals over the whole session (faces, head turn and tilt, sound level, speech, frames
 * analysed per second), one small chart each, drawn from the centre's per-second aggregates. The time from the data's
 * arrival to the charts on screen is measured and kept on the section (data-draw-ms) for the browser test to report.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api } from '../session/staff-api';
import type { SecondSample } from '../shared/signal-seconds';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { centreDateTime, figure } from '../ui/centre-time-format';
import { columns, pathOf, rangeOf, type SignalKey } from './signal-chart';
import { useCentreZone } from '../stores/centre-zone';

const KEYS: SignalKey[] = ['faces', 'yaw', 'pitch', 'levelDb', 'speech', 'fps'];
const W = 800;
const H = 48;

export function SignalCharts(props: { sessionId: string; token: string; skewMs: number }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const [data, setData] = useState<{ samples: SecondSample[]; arrived: number } | null>(null);
  const [failed, setFailed] = useState(false);
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    let gone = false;
    api<{ samples: SecondSample[] }>(`/api/sessions/${props.sessionId}/signals`, props.token).then(
      (r) => !gone && setData({ samples: r.samples, arrived: performance.now() }),
      () => !gone && setFailed(true),
    );
    return () => {
      gone = true;
    };
  }, [props.sessionId, props.token]);
  useLayoutEffect(() => {
    if (data && section.current) section.current.dataset.drawMs = (performance.now() - data.arrived).toFixed(1);
  }, [data]);

  const samples = data?.samples ?? [];
  const from = samples[0]?.t ?? 0;
  const to = samples.at(-1)?.t ?? 0;
  return (
    <section ref={section} aria-labelledby="rv-signals-title" className="rv-signals" data-testid="rv-signals" data-samples={samples.length}>
      <h3 id="rv-signals-title">{t('rv.signals')}</h3>
      {failed ? (
        <p role="alert" className="error">
          {t('rv.loadFailed')}
        </p>
      ) : !data ? (
        <p role="status">{t('common.loading')}</p>
      ) : samples.length === 0 ? (
        <p>{t('rv.noSignals')}</p>
      ) : null}
      {samples.length ? (
        <>
          <p className="hint">
            {centreDateTime(from - props.skewMs, language, zone)} – {centreDateTime(to - props.skewMs, language, zone)} ·{' '}
            {t('rv.signalSeconds', { count: figure(samples.length, language, 0) })}
          </p>
          {KEYS.map((key) => {
            const range = rangeOf(key, samples);
            const g = { width: W, height: H, from, to: Math.max(to, from + 1000), ...range };
            const cols = columns(samples, key, g);
            const lo = cols.length ? Math.min(...cols.map((c) => c.lo)) : null;
            const hi = cols.length ? Math.max(...cols.map((c) => c.hi)) : null;
            const label = t(`rv.signal.${key}` as MessageKey);
            const summary =
              lo === null || hi === null
                ? t('rv.signalNone', { name: label })
                : t('rv.signalRange', { name: label, lo: figure(lo, language, 1), hi: figure(hi, language, 1) });
            return (
              <figure key={key} className="rv-chart" data-testid={`rv-chart-${key}`}>
                <figcaption>
                  {label}{' '}
                  <span className="hint">
                    ({figure(range.min, language, 0)} … {figure(range.max, language, 0)})
                  </span>
                </figcaption>
                <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={summary}>
                  <line x1="0" x2={W} y1={H} y2={H} className="rv-chart-axis" />
                  <path d={pathOf(cols, g)} className={`rv-chart-line rv-chart-${key}`} vectorEffect="non-scaling-stroke" />
                </svg>
              </figure>
            );
          })}
        </>
      ) : null}
    </section>
  );
}
