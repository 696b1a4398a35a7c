/**
 * The incidents with their evidence snapshots, and the identity photos (reference and each try) side by
 * side with the similarity and liveness figures the centre logged (rule 2.8.6). Pictures through StaffImage (bearer token).
 */
import type { FeedEvent } from '../shared/protocol';
import { evidencePath, referencePath, ReviewImage } from './ReviewImage';
import { describeEvent } from '../ui/event-text';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { centreDateTime, figure, videoClock } from '../ui/centre-time-format';
import type { TrackMark } from './timeline-marks';
import { useCentreZone } from '../stores/centre-zone';
import { formatPercent } from '../ui/number-format';

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

export function IncidentEvidence(props: {
  sessionId: string;
  token: string;
  marks: TrackMark[];
  events: FeedEvent[];
  videoAt(m: TrackMark): number | null;
  selected: string | null;
  onSelect(m: TrackMark): void;
}) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const incidents = props.marks.filter((m) => m.kind === 'incident');
  const decisions = new Map<string, 'confirmed' | 'dismissed'>();
  for (const e of props.events) {
    if (e.type === 'incident.confirmed' || e.type === 'incident.dismissed')
      decisions.set(String(obj(e.data).incidentId), e.type === 'incident.confirmed' ? 'confirmed' : 'dismissed');
  }
  const byIndex = new Map(props.events.map((e) => [e.index, e]));
  return (
    <section aria-labelledby="rv-incidents-title" className="rv-incidents">
      <h3 id="rv-incidents-title">{t('rv.incidents', { count: incidents.length })}</h3>
      {incidents.length === 0 ? <p>{t('rv.noIncidents')}</p> : null}
      <ul className="rv-incident-list">
        {incidents.map((m) => {
          const e = byIndex.get(m.eventIndex);
          const at = props.videoAt(m);
          const decision = m.incidentId ? decisions.get(m.incidentId) : undefined;
          return (
            <li
              key={m.key}
              className={`rv-incident rv-level-${m.level}${props.selected === m.key ? ' rv-incident-selected' : ''}`}
              data-testid="rv-incident"
              data-incident-id={m.incidentId ?? undefined}
            >
              {m.incidentId ? (
                <ReviewImage
                  token={props.token}
                  path={evidencePath(props.sessionId, m.incidentId)}
                  alt={t('rv.snapshotOf', { what: m.incidentType ? t(`incident.${m.incidentType}` as MessageKey) : '' })}
                  className="rv-snapshot"
                  testId="rv-snapshot"
                  missing={t('rv.noSnapshot')}
                />
              ) : null}
              <div>
                <strong>{m.incidentType ? t(`incident.${m.incidentType}` as MessageKey) : e ? describeEvent(t, e) : ''}</strong>
                <div>
                  {t(`rv.level.${m.level}` as MessageKey)}
                  {decision ? ` · ${t(`rv.decision.${decision}` as MessageKey)}` : ''}
                </div>
                <div className="hint">{e ? centreDateTime(e.at, language, zone) : ''}</div>
                <button type="button" onClick={() => props.onSelect(m)} disabled={at === null}>
                  {t('rv.showAt', { time: at === null ? '—' : videoClock(at) })}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function IdentityEvidence(props: { sessionId: string; token: string; events: FeedEvent[] }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const tries = props.events.filter((e) => e.type === 'identity.verified' || e.type === 'identity.failed');
  const checks = props.events.filter((e) => e.type === 'identity.checked');
  const assistant = props.events.filter((e) => e.type === 'identity.assistant'); // Rule 11: the assistant's photos
  if (tries.length === 0 && checks.length === 0 && assistant.length === 0) return null;
  const pct = (v: unknown) => (typeof v === 'number' ? formatPercent(v * 100, language, 0) : '—');
  return (
    <section aria-labelledby="rv-identity-title" className="rv-identity">
      <h3 id="rv-identity-title">{t('rv.identity')}</h3>
      <ul className="photo-row" data-testid="rv-identity-photos">
        <li>
          <ReviewImage
            token={props.token}
            path={referencePath(props.sessionId)}
            alt={t('rv.referencePhoto')}
            className="id-photo"
            testId="rv-identity-reference"
            missing={t('rv.noPicture')}
          />
          <span className="photo-caption">{t('rv.referencePhoto')}</span>
        </li>
        {tries.map((e, i) => {
          const d = obj(e.data);
          const live = obj(d.liveness);
          const yaw =
            typeof live.yawMinDeg === 'number' && typeof live.yawMaxDeg === 'number'
              ? `${figure(live.yawMinDeg, language, 0)}°…${figure(live.yawMaxDeg, language, 0)}°`
              : '—';
          return (
            <li key={e.index}>
              <ReviewImage
                token={props.token}
                path={evidencePath(props.sessionId, `identity-${i + 1}`)}
                alt={t('rv.livePhoto', { n: i + 1 })}
                className="id-photo"
                testId="rv-identity-live"
                missing={t('rv.noPicture')}
              />
              <span className="photo-caption">
                {t('rv.livePhoto', { n: i + 1 })}: {e.type === 'identity.verified' ? t('rv.identityMatched') : t('rv.identityNotMatched')}
                <br />
                {t('rv.similarity', { value: pct(d.similarity), threshold: pct(d.threshold) })}
                <br />
                {t('rv.liveness', {
                  result: live.passed === true ? t('rv.livenessPassed') : live.passed === false ? t('rv.livenessFailed') : '—',
                  yaw,
                })}
                <br />
                <span className="hint">{centreDateTime(e.at, language, zone)}</span>
              </span>
            </li>
          );
        })}
        {assistant.map((e) => {
          const d = obj(e.data);
          const caption = t(d.accepted === true ? 'assistant.photo' : 'assistant.photoRefused', {
            name: typeof d.assistant === 'string' ? d.assistant : '—',
          });
          return (
            <li key={e.index}>
              <ReviewImage
                token={props.token}
                path={evidencePath(props.sessionId, String(d.photo))}
                alt={caption}
                className="id-photo"
                testId="rv-assistant-photo"
                missing={t('rv.noPicture')}
              />
              <span className="photo-caption">
                {caption}
                <br />
                {t('assistant.similarity', { value: pct(d.similarity), threshold: pct(d.threshold) })}
                <br />
                <span className="hint">{centreDateTime(e.at, language, zone)}</span>
              </span>
            </li>
          );
        })}
      </ul>
      {checks.length ? (
        <p>{t('rv.identityChecks', { count: checks.length, mismatched: checks.filter((c) => obj(c.data).matched === false).length })}</p>
      ) : null}
    </section>
  );
}
