/**
 * One candidate drilled into: the live camera on demand, the last ten minutes of incidents on a strip, the
 * signals as sparklines, the evidence, the identity photos side by side, the room scan, the notes the
 * candidate was sent (read? replied?), the log, and the actions. Pictures, video and timelines, not JSON.
 */
import { BREAK_REASON, hasAccommodations } from '../shared/accommodations';
import { accommodationSummary } from '../ui/accommodation-text';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { LiveClosedReason } from '../shared/control-room';
import { FINISHED_STATUSES } from '../shared/limits';
import type { SessionDetail } from '../shared/protocol';
import { applySession, applySignals, staffStore } from '../stores/staff-store';
import { describeEvent } from '../ui/event-text';
import { formatClock } from '../ui/time-format';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { ActionsPanel } from './ActionsPanel';
import { IncidentTimeline, levelKey, SignalCharts } from './Charts';
import { useControlRoom, useTick } from './control-room-context';
import { decisionOf, sessionTimeLeft } from './control-room-logic';
import { formats, type Formats } from './format';
import { useErrorText } from './IncidentQueue';
import { LiveViewer, type LiveState } from './live-viewer';
import { ColourBadge } from './SessionCard';
import { evidencePath, referencePath, StaffImage } from './StaffImage';

/** Why the centre closed the live camera, in the proctor's words. */
const LIVE_CLOSED_TEXT: Record<LiveClosedReason, MessageKey> = {
  'the exam ended': 'cr.liveWhy.examEnded',
  'another proctor opened this camera': 'cr.liveWhy.takenOver',
  'the candidate lost the connection': 'cr.liveWhy.linkLost',
  'the candidate reconnected': 'cr.liveWhy.linkReplaced',
};
/** Evidence pictures drawn at once in the drill-down (the newest). */
const EVIDENCE_SHOWN = 12;
/** Log entries drawn (the session's last, newest first). */
const LOG_SHOWN = 150;

function LiveCamera(props: { sessionId: string; name: string; canOpen: boolean }) {
  const t = useT();
  const room = useControlRoom();
  const thumb = useStore(staffStore, (s) => s.thumbs[props.sessionId]);
  const [state, setState] = useState<LiveState>('idle');
  const [detail, setDetail] = useState<string | null>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [muted, setMuted] = useState(true);
  const viewer = useRef<LiveViewer | null>(null);
  const video = useRef<HTMLVideoElement>(null);

  const stop = useCallback(() => {
    viewer.current?.close();
    viewer.current = null;
  }, []);
  // One peer connection per open drill-down: closed when leaving it or switching candidates.
  useEffect(() => {
    const off = room.bus.listen(props.sessionId, (m) => {
      if (m.kind === 'signal') void viewer.current?.handle(m.signal);
      else {
        viewer.current?.ended(m.reason);
        viewer.current = null;
      }
    });
    return () => {
      off();
      stop();
      setState('idle');
    };
  }, [room.bus, props.sessionId, stop]);
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    v.srcObject = stream;
    // A muted inline video plays without a gesture; a refused play leaves the poster, and the next stream tries again.
    if (stream) void v.play().catch(() => undefined);
  }, [stream]);

  const open = () => {
    if (!room.link) return;
    stop();
    setDetail(null);
    const v = new LiveViewer(room.link, props.sessionId, {
      stream: setStream,
      state: (s, d) => {
        setState(s);
        setDetail(d ?? null);
      },
    });
    viewer.current = v;
    void v.open();
  };
  const close = () => {
    stop();
    setState('idle');
  };
  const active = state === 'connecting' || state === 'live';
  return (
    <section className="live-camera" aria-labelledby="live-title">
      <h3 id="live-title">{t('cr.camera')}</h3>
      <div className="camera-frame">
        {active || stream ? (
          <video
            ref={video}
            className="live-video"
            data-testid="live-video"
            autoPlay
            playsInline
            muted={muted}
            aria-label={t('cr.liveAlt', { name: props.name })}
          />
        ) : thumb ? (
          <img className="live-video" src={thumb.url} alt={t('cr.thumbAlt', { name: props.name })} data-testid="detail-thumb" />
        ) : (
          <span className="live-video thumb-none">{t('cr.noPicture')}</span>
        )}
      </div>
      <div className="button-row">
        {!active ? (
          <button type="button" className="primary" data-testid="live-open" onClick={open} disabled={!props.canOpen || !room.link}>
            {t('cr.liveOpen')}
          </button>
        ) : (
          <>
            <button type="button" data-testid="live-close" onClick={close}>
              {t('cr.liveClose')}
            </button>
            <button type="button" aria-pressed={!muted} data-testid="live-sound" onClick={() => setMuted(!muted)}>
              {muted ? t('cr.soundOn') : t('cr.soundOff')}
            </button>
          </>
        )}
      </div>
      <p role="status" className="hint" data-testid="live-state" data-state={state} data-detail={detail ?? undefined}>
        {state === 'idle' ? '' : t(`cr.live.${state}` as MessageKey)}
        {state === 'ended' && detail && detail in LIVE_CLOSED_TEXT ? ` ${t(LIVE_CLOSED_TEXT[detail as LiveClosedReason])}` : ''}
      </p>
    </section>
  );
}

function IdentityPhotos(props: { detail: SessionDetail; f: Formats }) {
  const t = useT();
  const { detail, f } = props;
  const id = detail.identity;
  // The similarity of each try, from the log (identity.verified / identity.failed, in order): the N-th of them took identity-N.
  const tries = detail.events
    .filter((e) => e.type === 'identity.verified' || e.type === 'identity.failed')
    .map((e) => (e.data as { similarity?: unknown }).similarity)
    .map((v) => (typeof v === 'number' ? v : null));
  const live = !FINISHED_STATUSES.includes(detail.session.status);
  return (
    <section aria-labelledby="identity-title">
      <h3 id="identity-title">{t('cr.identity')}</h3>
      <p>
        {t('cr.identitySummary', {
          attempts: f.n(id.attempts),
          best: id.similarity === null ? '—' : f.pct(id.similarity),
          threshold: f.pct(id.threshold),
        })}{' '}
        {id.decision
          ? t(`cr.identityDecision.${id.decision}` as MessageKey)
          : id.verifiedAt
            ? t('cr.identityVerified', { time: f.time(id.verifiedAt) })
            : null}
      </p>
      <ul className="photo-row" data-testid="identity-photos">
        <li>
          {live && id.reference === 'file' ? (
            <StaffImage
              path={referencePath(detail.session.sessionId)}
              alt={t('cr.referencePhoto')}
              className="id-photo"
              testId="identity-reference"
              retries={0}
              missing={t('cr.noPicture')}
            />
          ) : (
            <span className="id-photo img-missing">{id.reference === 'enrolled' ? t('cr.referenceEnrolled') : t('cr.noPicture')}</span>
          )}
          <span className="photo-caption">{t('cr.referencePhoto')}</span>
        </li>
        {id.photos.map((photo, i) => (
          <li key={photo}>
            <StaffImage
              path={evidencePath(detail.session.sessionId, photo)}
              alt={t('cr.tryPhoto', { n: f.n(i + 1) })}
              className="id-photo"
              testId="identity-try"
              retries={2}
              missing={t('cr.noPicture')}
            />
            <span className="photo-caption">
              {t('cr.trySimilarity', { n: f.n(i + 1), similarity: tries[i] === null || tries[i] === undefined ? '—' : f.pct(tries[i]!) })}
            </span>
          </li>
        ))}
        {detail.assistant?.photos.map((photo) => {
          // Rule 11: the assistant's photos, named from the accommodations (the same access rule as identity photos).
          const caption = t(photo.accepted ? 'assistant.photo' : 'assistant.photoRefused', { name: detail.assistant!.name });
          return (
            <li key={photo.id}>
              <StaffImage
                path={evidencePath(detail.session.sessionId, photo.id)}
                alt={caption}
                className="id-photo"
                testId="assistant-photo"
                retries={2}
                missing={t('cr.noPicture')}
              />
              <span className="photo-caption">{caption}</span>
            </li>
          );
        })}
      </ul>
      {detail.assistant && detail.assistant.acceptedAt === null ? (
        <p data-testid="assistant-pending">{t('assistant.notYet', { name: detail.assistant.name })}</p>
      ) : null}
    </section>
  );
}

export function CandidateDetail(props: { sessionId: string; onClose(): void }) {
  const t = useT();
  const f = formats(useUiLanguage());
  const room = useControlRoom();
  const errorText = useErrorText();
  const session = useStore(staffStore, (s) => s.sessions[props.sessionId]);
  const signals = useStore(staffStore, (s) => s.signals[props.sessionId]);
  const offset = useStore(staffStore, (s) => s.clockOffsetMs);
  const now = useTick((x) => x.now);
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(() => {
    if (!room.link) return;
    room.link.send('session:detail', { sessionId: props.sessionId }).then(
      (d) => {
        setDetail(d);
        setError(null);
        applySession(d.session);
        applySignals({ sessionId: d.session.sessionId, samples: d.signals });
      },
      (e: unknown) => setError(errorText(e)),
    );
    // errorText changes with the language only
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [room.link, props.sessionId]);

  useEffect(() => {
    setDetail(null);
    load();
    heading.current?.focus();
  }, [load]);
  // The card changed (a new incident, a decision, a pause...): fetch the detail again, at most every 2 s.
  // A new log entry of this candidate (e.g. the candidate read a note, or replied) counts too.
  const lastEvent = useStore(staffStore, (x) => x.feed.find((e) => e.sessionId === props.sessionId)?.index ?? 0);
  const stamp =
    `${lastEvent}|` +
    (session
      ? `${session.incidentCount}|${session.openViolations}|${session.status}|${session.stage}|${session.paused?.at}|${session.identityLocked}|${session.deadlineAt}`
      : '');
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(load, 2_000);
    return () => clearTimeout(timer);
  }, [stamp, load]);

  const s = session ?? detail?.session;
  const serverNow = now + offset;
  const left = s ? sessionTimeLeft(s, serverNow) : null;
  const withEvidence = (detail?.incidents ?? []).filter((q) => q.evidence).slice(0, EVIDENCE_SHOWN);
  return (
    <section className="candidate-detail" data-testid="candidate-detail" data-session-id={props.sessionId} aria-labelledby="detail-title">
      <div className="detail-head">
        <button type="button" onClick={props.onClose} data-testid="detail-close">
          <span aria-hidden="true">← </span>
          {t('cr.back')}
        </button>
        <h2 id="detail-title" ref={heading} tabIndex={-1}>
          {s?.candidateName ?? '…'}
        </h2>
        {s ? <ColourBadge colour={s.colour} /> : null}
      </div>
      {s ? (
        <p className="detail-facts">
          <span>{s.programmeCode}</span>
          <span className="badge" data-testid="session-status">
            {t(`status.${s.status}`)}
          </span>
          <span>{t(`cr.stage.${s.stage}` as MessageKey)}</span>
          <span>{t('proctor.progress', { answered: f.n(s.answered), total: f.n(s.total) })}</span>
          {left !== null ? <span>{t('proctor.timeLeft', { time: formatClock(left) })}</span> : null}
          {s.paused ? (
            <span className="warning">
              {s.paused.reason === BREAK_REASON ? t('break.title') : t('cr.pausedBecause', { reason: s.paused.reason })}
            </span>
          ) : null}
          <span>{s.connected ? t('proctor.online') : t('proctor.offline')}</span>
          {s.assignedTo ? <span>{t('cr.assignedTo', { name: s.assignedTo.name })}</span> : null}
        </p>
      ) : null}
      {s && hasAccommodations(s.accommodations) ? (
        <p className="detail-accommodations" data-testid="detail-accommodations">
          <strong>{t('acc.title')}:</strong> {accommodationSummary(t, s.accommodations)}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {!detail && !error ? <p className="hint">{t('cr.loading')}</p> : null}
      <div className="detail-grid">
        <div className="detail-col">
          <LiveCamera
            sessionId={props.sessionId}
            name={s?.candidateName ?? ''}
            canOpen={s ? !FINISHED_STATUSES.includes(s.status) : false}
          />
          <section aria-labelledby="signals-title">
            <h3 id="signals-title">{t('cr.signals')}</h3>
            <SignalCharts samples={signals ?? []} f={f} />
          </section>
          {detail ? <ActionsPanel detail={detail} onDone={load} /> : null}
        </div>
        <div className="detail-col">
          {detail ? (
            <>
              <IncidentTimeline incidents={detail.incidents} events={detail.events} serverNow={serverNow} f={f} />
              <section aria-labelledby="incidents-title">
                <h3 id="incidents-title">{t('cr.incidents', { count: f.n(detail.incidents.length) })}</h3>
                {detail.incidents.length === 0 ? <p className="hint">{t('cr.noIncidents')}</p> : null}
                <ul className="evidence-row" data-testid="detail-evidence">
                  {withEvidence.map((q) => (
                    <li key={q.incidentId}>
                      <StaffImage
                        path={evidencePath(q.sessionId, q.incidentId)}
                        alt={t('proctor.evidence', { incident: t(`incident.${q.type}` as MessageKey) })}
                        className="evidence-thumb"
                        missing={t('cr.noPicture')}
                      />
                      <span className="photo-caption">
                        {t(`incident.${q.type}` as MessageKey)}, {f.time(q.at, true)}
                      </span>
                    </li>
                  ))}
                </ul>
                <ul className="incident-list">
                  {detail.incidents.slice(0, 50).map((q) => (
                    <li
                      key={q.incidentId}
                      data-testid="detail-incident"
                      data-decision={decisionOf(q)}
                      className={`level-${q.violation ? 'incident' : 'info'}`}
                    >
                      <time>{f.time(q.at, true)}</time> {t(`incident.${q.type}` as MessageKey)} ({t(levelKey(q))}, {f.pct(q.confidence)})
                      {q.review
                        ? ` · ${t(`cr.decided.${q.review.decision}` as MessageKey, { name: q.review.by.name, time: f.time(q.review.at) })}`
                        : null}
                    </li>
                  ))}
                </ul>
              </section>
              <IdentityPhotos detail={detail} f={f} />
              <section aria-labelledby="scan-title" data-testid="room-scan">
                <h3 id="scan-title">{t('cr.roomScan')}</h3>
                <p>
                  {detail.roomScan
                    ? t(detail.roomScan.complete ? 'cr.roomScanDone' : 'cr.roomScanPartial', {
                        degrees: f.n(Math.round(detail.roomScan.coverageDeg)),
                        attempts: f.n(detail.roomScan.attempts),
                        time: f.time(detail.roomScan.at),
                      })
                    : t('cr.roomScanNone')}
                </p>
              </section>
              <section aria-labelledby="notes-title" data-testid="notes">
                <h3 id="notes-title">{t('cr.notes')}</h3>
                {detail.notes.length === 0 ? <p className="hint">{t('cr.notesNone')}</p> : null}
                <ul className="notes-list">
                  {detail.notes.map((n) => (
                    <li key={n.id} data-testid="note" data-acknowledged={n.acknowledgedAt !== null}>
                      <time>{f.time(n.at)}</time> <strong>{t(`cr.note.${n.kind}` as MessageKey)}</strong>
                      {n.text ? `: ${n.text}` : null}
                      {n.minutes !== null ? ` (${t('cr.minutes', { n: f.n(n.minutes) })})` : null}
                      <br />
                      <span className={n.acknowledgedAt ? 'ok' : 'warning'}>
                        {n.acknowledgedAt ? t('cr.noteRead', { time: f.time(n.acknowledgedAt) }) : t('cr.noteUnread')}
                      </span>
                      {n.reply ? <span className="note-reply"> {t('cr.noteReply', { reply: n.reply })}</span> : null}
                    </li>
                  ))}
                </ul>
              </section>
              <section aria-labelledby="log-title">
                <h3 id="log-title">{t('cr.log')}</h3>
                <ol className="feed-list detail-log" tabIndex={0} aria-labelledby="log-title" data-testid="detail-log">
                  {detail.events
                    .slice(-LOG_SHOWN)
                    .reverse()
                    .map((e) => (
                      <li key={e.index} className={`feed-item level-${e.level}`}>
                        <time>{f.time(e.at, true)}</time>
                        <span className="what">{describeEvent(t, e)}</span>
                      </li>
                    ))}
                </ol>
              </section>
            </>
          ) : null}
        </div>
      </div>
    </section>
  );
}
