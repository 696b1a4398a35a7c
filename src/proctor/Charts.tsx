/**
 * The drill-down's small charts, in hand-written SVG. Why no chart library: four sparklines (faces, head
 * yaw / pitch, sound level, speech) and one timeline strip are a few polylines and rectangles; a library
 * would add tens of kilobytes to the staff bundle and its own accessibility gaps for that. Each chart has
 * a text alternative (role="img" with the latest figures) and the same facts are in text beside it.
 */
import type { QueueItem, SignalSample } from '../shared/control-room';
import type { FeedEvent } from '../shared/protocol';
import { useT, type MessageKey } from '../ui/i18n/i18n';
import { sparkRuns } from './control-room-logic';
import type { Formats } from './format';

const W = 240;
const H = 48;

export function Sparkline(props: {
  label: string;
  values: ReadonlyArray<number | null>;
  second?: ReadonlyArray<number | null>;
  min: number;
  max: number;
  latest: string;
  testId: string;
  /** A reference line (e.g. 0° or the one face expected). */
  baseline?: number;
}) {
  const { min, max } = props;
  const baseY = props.baseline === undefined ? null : H - ((props.baseline - min) / (max - min || 1)) * H;
  return (
    <figure className="spark" data-testid={props.testId}>
      <figcaption>
        <span className="spark-label">{props.label}</span> <span className="spark-latest">{props.latest}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-label={`${props.label}: ${props.latest}`}
        preserveAspectRatio="none"
      >
        <rect x="0" y="0" width={W} height={H} className="spark-bg" />
        {baseY !== null ? <line x1="0" x2={W} y1={baseY} y2={baseY} className="spark-base" /> : null}
        {sparkRuns(props.values, min, max).map((points, i) => (
          <polyline key={`a${i}`} points={points} className="spark-line" />
        ))}
        {props.second
          ? sparkRuns(props.second, min, max).map((points, i) => <polyline key={`b${i}`} points={points} className="spark-line second" />)
          : null}
      </svg>
    </figure>
  );
}

export function SignalCharts(props: { samples: readonly SignalSample[]; f: Formats }) {
  const t = useT();
  const { samples, f } = props;
  const last = samples.at(-1);
  const show = (v: number | null | undefined, unit: string, digits = 0) =>
    v === null || v === undefined ? '—' : `${f.n(v, digits)}${unit}`;
  if (samples.length === 0)
    return (
      <p className="hint" data-testid="signals-none">
        {t('cr.signalsNone')}
      </p>
    );
  return (
    <div className="sparks" data-testid="signals">
      <Sparkline
        label={t('cr.sig.faces')}
        values={samples.map((s) => s.faces)}
        min={0}
        max={3}
        baseline={1}
        latest={show(last?.faces, '')}
        testId="spark-faces"
      />
      <Sparkline
        label={t('cr.sig.head')}
        values={samples.map((s) => s.yaw)}
        second={samples.map((s) => s.pitch)}
        min={-60}
        max={60}
        baseline={0}
        latest={t('cr.sig.headLatest', { yaw: show(last?.yaw, '°'), pitch: show(last?.pitch, '°') })}
        testId="spark-head"
      />
      <Sparkline
        label={t('cr.sig.level')}
        values={samples.map((s) => s.levelDb)}
        min={-90}
        max={0}
        latest={t('cr.sig.levelLatest', { db: show(last?.levelDb, '') })}
        testId="spark-level"
      />
      <Sparkline
        label={t('cr.sig.speech')}
        values={samples.map((s) => s.speech)}
        min={0}
        max={1}
        latest={last?.speech === null || last?.speech === undefined ? '—' : f.pct(last.speech)}
        testId="spark-speech"
      />
    </div>
  );
}

export const TIMELINE_MS = 10 * 60_000;

type Level = 'violation' | 'incident' | 'technical' | 'dismissed' | 'event';

function levelOf(q: QueueItem): Level {
  if (q.review?.decision === 'dismissed') return 'dismissed';
  if (q.type.startsWith('tech.')) return 'technical';
  return q.violation ? 'violation' : 'incident';
}

/** The last ten minutes as a strip: incidents as bars (their length), other events that need a look as ticks. */
export function IncidentTimeline(props: { incidents: readonly QueueItem[]; events: readonly FeedEvent[]; serverNow: number; f: Formats }) {
  const t = useT();
  const { serverNow, f } = props;
  const from = serverNow - TIMELINE_MS;
  const x = (at: number) => Math.max(0, Math.min(600, ((at - from) / TIMELINE_MS) * 600));
  const recent = props.incidents.filter((q) => q.at >= from || (q.end === null && q.at < serverNow));
  const ticks = props.events.filter((e) => e.level === 'incident' && e.at >= from && e.type !== 'incident.open');
  const counts: Record<Level, number> = { violation: 0, incident: 0, technical: 0, dismissed: 0, event: ticks.length };
  for (const q of recent) counts[levelOf(q)]++;
  const summary = t('cr.timelineSummary', {
    violations: f.n(counts.violation),
    incidents: f.n(counts.incident + counts.technical),
    events: f.n(ticks.length),
  });
  return (
    <figure className="timeline-strip" data-testid="incident-timeline">
      <figcaption>{t('cr.timelineTitle')}</figcaption>
      <svg viewBox="0 0 600 44" role="img" aria-label={summary} preserveAspectRatio="none">
        <rect x="0" y="0" width="600" height="44" className="strip-bg" />
        {[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => (
          <line key={m} x1={m * 60} x2={m * 60} y1={36} y2={44} className="strip-grid" />
        ))}
        {ticks.map((e) => (
          <line key={`${e.sessionId}:${e.index}`} x1={x(e.at)} x2={x(e.at)} y1={2} y2={34} className="mark-event" />
        ))}
        {recent.map((q) => {
          // The centre's receive time is where it starts on this clock; its length is the browser's (end − start).
          const start = x(q.at);
          const end = q.end === null ? x(serverNow) : x(q.at + Math.max(0, q.end - q.start));
          return (
            <rect key={q.incidentId} x={start} y={8} width={Math.max(3, end - start)} height={24} className={`mark mark-${levelOf(q)}`} />
          );
        })}
      </svg>
      <p className="strip-legend">
        <span className="legend legend-violation">{t('cr.legend.violation')}</span>
        <span className="legend legend-incident">{t('cr.legend.incident')}</span>
        <span className="legend legend-technical">{t('cr.legend.technical')}</span>
        <span className="legend legend-dismissed">{t('cr.legend.dismissed')}</span>
        <span className="legend legend-event">{t('cr.legend.event')}</span>
        <span className="strip-axis">{t('cr.timelineAxis', { from: f.time(from), to: f.time(serverNow) })}</span>
      </p>
    </figure>
  );
}

export const levelKey = (q: QueueItem): MessageKey => `cr.legend.${levelOf(q)}` as MessageKey;
