/**
 * The session's recording in a <video> (the seekable WebM, streamed with ranges through a player link),
 * with the log as a track under it: marks coloured by level, the identity step and the room scan as chapters.
 * A click on a mark seeks to its moment (video-time.ts maps log time to video time across reload gaps).
 * Keyboard on the player: N / P next / previous incident, K or Space play / pause, − / + speed 0.5–4×.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { api } from '../session/staff-api';
import type { FeedEvent } from '../shared/protocol';
import { describeEvent } from '../ui/event-text';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { centreDateTime, figure, videoClock } from '../ui/centre-time-format';
import { assignLanes, stepIncident, type Chapter, type TrackMark } from './timeline-marks';
import { logToVideo, videoDuration, type RecordingRun } from '../shared/video-time';
import { useCentreZone } from '../stores/centre-zone';

const LANE_PX = 24;
export const SPEEDS = [0.5, 1, 1.5, 2, 3, 4] as const;

export function RecordingPlayer(props: {
  sessionId: string;
  token: string;
  runs: RecordingRun[];
  marks: TrackMark[];
  chapters: Chapter[];
  events: FeedEvent[];
  skewMs: number;
  selected: string | null;
  onSelect(mark: TrackMark): void;
  /** A seek asked from outside the player (an incident's "show" button); `n` makes each ask new. */
  seekRequest?: { mark: TrackMark; n: number } | null;
}) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const video = useRef<HTMLVideoElement>(null);
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [now, setNow] = useState(0);
  const [speed, setSpeed] = useState(1);
  // What the screen reader hears after a seek or a speed change; words made at render time, so they follow the language.
  const [announce, setAnnounce] = useState<{ mark: TrackMark } | { speed: number } | null>(null);
  const duration = Math.max(videoDuration(props.runs), 1);
  const byIndex = useMemo(() => new Map(props.events.map((e) => [e.index, e])), [props.events]);
  const videoAt = useCallback((m: { at: number }) => logToVideo(props.runs, m.at) ?? 0, [props.runs]);

  useEffect(() => {
    let gone = false;
    setSrc(null);
    setFailed(false);
    api<{ url: string }>(`/api/sessions/${props.sessionId}/recording/link`, props.token, { method: 'POST', body: {} }).then(
      (r) => !gone && setSrc(r.url),
      () => !gone && setFailed(true),
    );
    return () => {
      gone = true;
    };
  }, [props.sessionId, props.token]);

  useEffect(() => {
    if (video.current) video.current.playbackRate = speed;
  }, [speed, src]);

  const seek = (m: TrackMark) => {
    const v = video.current;
    if (v) v.currentTime = videoAt(m);
    props.onSelect(m);
    setAnnounce({ mark: m });
  };

  useEffect(() => {
    if (props.seekRequest) seek(props.seekRequest.mark);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.seekRequest]);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const v = video.current;
    if (!v || e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    if (key === 'n' || key === 'p') {
      const m = stepIncident(props.marks, videoAt, v.currentTime, key === 'n' ? 1 : -1);
      if (m) seek(m);
    } else if (key === 'k' || (key === ' ' && e.target === e.currentTarget)) {
      // Play needs a gesture in some browsers: the player's own button is there.
      if (v.paused) void v.play().catch(() => undefined);
      else v.pause();
    } else if (key === '+' || key === '=' || key === '-') {
      const i = SPEEDS.indexOf(speed as (typeof SPEEDS)[number]);
      const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, i + (key === '-' ? -1 : 1)))]!;
      setSpeed(next);
      setAnnounce({ speed: next });
    } else return;
    e.preventDefault();
  };

  const markText = (m: TrackMark) => {
    const e = byIndex.get(m.eventIndex);
    return `${videoClock(videoAt(m))} · ${t(`rv.level.${m.level}` as MessageKey)} · ${e ? describeEvent(t, e) : ''}`;
  };
  // Marks closer than 1.2 % of the track go to lanes one under another, so each can be clicked.
  const lanes = assignLanes(
    props.marks.map((m) => (videoAt(m) / duration) * 100),
    1.2,
  );
  const laneCount = Math.max(1, ...lanes.map((l) => l + 1));
  const pct = (s: number) => `${Math.min(100, Math.max(0, (s / duration) * 100))}%`;
  return (
    <section aria-labelledby="rv-player-title" className="rv-player">
      <h3 id="rv-player-title">{t('rv.recording')}</h3>
      <div className="rv-player-keys" tabIndex={0} onKeyDown={onKey} aria-describedby="rv-keys-help" data-testid="rv-player">
        {src ? (
          <video
            ref={video}
            src={src}
            controls
            preload="metadata"
            className="rv-video"
            data-testid="rv-video"
            aria-label={t('rv.recording')}
            onTimeUpdate={(e) => setNow(e.currentTarget.currentTime)}
            onSeeked={(e) => setNow(e.currentTarget.currentTime)}
          />
        ) : failed ? (
          <p role="alert" className="rv-video rv-novideo">
            {t('rv.noRecording')}
          </p>
        ) : (
          <p role="status" className="rv-video rv-novideo">
            {t('common.loading')}
          </p>
        )}
        <div className="rv-track" role="group" aria-label={t('rv.track')} style={{ height: `${22 + laneCount * LANE_PX}px` }}>
          {props.chapters.map((c) => {
            const from = logToVideo(props.runs, c.from) ?? 0;
            const to = logToVideo(props.runs, c.to) ?? 0;
            return (
              <span
                key={c.kind}
                className={`rv-chapter rv-chapter-${c.kind}`}
                style={{ left: pct(from), width: pct(Math.max(to - from, duration / 200)) }}
                data-testid={`rv-chapter-${c.kind}`}
              >
                <span className="visually-hidden">
                  {t(`rv.chapter.${c.kind}` as MessageKey)}: {videoClock(from)}–{videoClock(to)}
                </span>
                <span aria-hidden="true" className="rv-chapter-label">
                  {t(`rv.chapter.${c.kind}` as MessageKey)}
                </span>
              </span>
            );
          })}
          {props.marks.map((m, i) => {
            const at = videoAt(m);
            const label = markText(m);
            return (
              <button
                key={m.key}
                type="button"
                className={`rv-mark rv-mark-${m.kind} rv-level-${m.level}${props.selected === m.key ? ' rv-mark-selected' : ''}`}
                style={{ left: pct(at), top: `${20 + lanes[i]! * LANE_PX}px` }}
                aria-label={label}
                title={label}
                data-testid="rv-mark"
                data-kind={m.kind}
                data-incident-id={m.incidentId ?? undefined}
                data-video-at={at.toFixed(3)}
                onClick={() => seek(m)}
              />
            );
          })}
          <span className="rv-playhead" style={{ left: pct(now) }} aria-hidden="true" />
        </div>
        <div className="rv-controls">
          <span>
            {videoClock(now)} / {videoClock(duration)}
          </span>
          <label>
            {t('rv.speed')}{' '}
            <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} data-testid="rv-speed">
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {figure(s, language, 1)}×
                </option>
              ))}
            </select>
          </label>
          <span className="rv-legend" aria-hidden="true">
            {(['violation', 'technical', 'dismissed', 'warning', 'ended', 'info'] as const).map((l) => (
              <span key={l} className="rv-legend-item">
                <span className={`rv-swatch rv-level-${l}`} /> {t(`rv.level.${l}` as MessageKey)}
              </span>
            ))}
          </span>
        </div>
        <p id="rv-keys-help" className="hint">
          {t('rv.keys')}
        </p>
        {props.runs[0] ? (
          <p className="hint">{t('rv.startedAt', { time: centreDateTime(props.runs[0].logStart - props.skewMs, language, zone) })}</p>
        ) : null}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announce === null
          ? ''
          : 'speed' in announce
            ? t('rv.speedNow', { speed: figure(announce.speed, language, 1) })
            : markText(announce.mark)}
      </p>
    </section>
  );
}
