/**
 * The proctor's control room: the candidates' cards (or a compact list), the incident queue across
 * candidates with the full feed one click away, the drill-down into one candidate, alerts (a beep and the
 * unseen count in the tab title), and the exams to reschedule. Connects to the centre's /staff socket, re-
 * subscribes after every reconnect and tells the centre which cards are on screen ('cards:watch').
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { createPushBatcher } from '../stores/push-batcher';
import { connectControlRoom, type StaffLink } from '../session/staff-api';
import { MAX_WATCHED_CARDS } from '../shared/limits';
import {
  applyDashboard,
  applyEvent,
  applyQueueItem,
  applySession,
  applySignals,
  applyThumb,
  inOneUpdate,
  markAlertsSeen,
  setAuth,
  staffStore,
} from '../stores/staff-store';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { beep, loadMuted, saveMuted, unlockAudio } from './alerts';
import { CandidateDetail } from './CandidateDetail';
import { ControlRoomContext, LiveBus, startTicking, type ControlRoom } from './control-room-context';
import { defaultScope, titleWithCount, type Scope } from './control-room-logic';
import { FeedPanel } from './FeedPanel';
import { formats } from './format';
import { IncidentQueue } from './IncidentQueue';
import { RescheduleTasks } from './RescheduleTasks';
import { SessionCards } from './SessionCards';
import './control-room.css';

/** 'cards:watch' waits this long for the visible set to settle (scrolling sends one, not dozens). */
const WATCH_DEBOUNCE_MS = 300;

function useAlerts(muted: boolean): void {
  const seq = useStore(staffStore, (s) => s.alerts.seq);
  const unseen = useStore(staffStore, (s) => s.alerts.unseen);
  const f = formats(useUiLanguage());
  const last = useRef(seq);
  useEffect(() => {
    if (seq > last.current && !muted) beep();
    last.current = seq;
  }, [seq, muted]);
  useEffect(() => {
    document.title = titleWithCount(document.title, unseen, f.n);
  }, [unseen, f]);
  useEffect(() => () => void (document.title = titleWithCount(document.title, 0)), []);
  // The proctor is here: the count is seen. Never moves focus.
  useEffect(() => {
    const seen = () => {
      unlockAudio();
      if (document.visibilityState === 'visible') markAlertsSeen();
    };
    window.addEventListener('focus', seen);
    window.addEventListener('pointerdown', seen, true);
    window.addEventListener('keydown', seen, true);
    return () => {
      window.removeEventListener('focus', seen);
      window.removeEventListener('pointerdown', seen, true);
      window.removeEventListener('keydown', seen, true);
    };
  }, []);
}

export function ProctorDashboard() {
  const t = useT();
  const token = useStore(staffStore, (s) => s.auth?.token ?? null);
  const loaded = useStore(staffStore, (s) => s.loaded);
  const [link, setLink] = useState<StaffLink | null>(null);
  const [detail, setDetail] = useState<string | null>(null);
  const [scope, setScope] = useState<Scope | null>(null);
  const [muted, setMuted] = useState(loadMuted);
  const bus = useMemo(() => new LiveBus(), []);
  const visible = useRef<string[]>([]);
  const detailRef = useRef<string | null>(null);
  detailRef.current = detail;
  const linkRef = useRef<StaffLink | null>(null);
  const watchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const sendWatch = useCallback(() => {
    if (watchTimer.current) clearTimeout(watchTimer.current);
    watchTimer.current = null;
    const current = linkRef.current;
    if (!current) return;
    const known = staffStore.getState().sessions;
    const sessionIds = visible.current.filter((id) => known[id]).slice(0, MAX_WATCHED_CARDS);
    const d = detailRef.current && known[detailRef.current] ? detailRef.current : null;
    // The link resends the watch list when it reconnects; a lost one only delays the thumbnails.
    void current.send('cards:watch', { sessionIds, detail: d }).catch(() => undefined);
  }, []);
  const scheduleWatch = useCallback(() => {
    if (watchTimer.current) clearTimeout(watchTimer.current);
    watchTimer.current = setTimeout(sendWatch, WATCH_DEBOUNCE_MS);
  }, [sendWatch]);

  useEffect(() => startTicking(), []);
  useEffect(() => {
    if (!token) return;
    // Data pushes are applied in batches (one store update and one render per batch); control messages act at once.
    const batch = createPushBatcher({ around: inOneUpdate });
    const l = connectControlRoom(token, {
      snapshot: batch.wrap(applyDashboard),
      session: batch.wrap(applySession),
      event: batch.wrap(applyEvent),
      status: (live) => staffStore.setState({ live }),
      refused: (message) => {
        staffStore.setState({ error: message });
        if (message.startsWith('unauthorised')) {
          batch.dispose();
          setAuth(null);
        }
      },
      queueItem: batch.wrap(applyQueueItem),
      thumb: batch.wrap(applyThumb),
      signals: batch.wrap(applySignals),
      liveSignal: (m) => bus.deliver(m.sessionId, { kind: 'signal', signal: m.signal }),
      liveClosed: (m) => bus.deliver(m.sessionId, { kind: 'closed', reason: m.reason }),
      loggedOut: () => {
        batch.dispose();
        setAuth(null);
      },
      // After every (re)subscribe the centre has forgotten what we watch.
      // The snapshot that came with the subscription is applied first: the watch names cards it holds.
      subscribed: () => {
        batch.flush();
        sendWatch();
      },
    });
    linkRef.current = l;
    setLink(l);
    return () => {
      if (watchTimer.current) clearTimeout(watchTimer.current);
      batch.dispose();
      linkRef.current = null;
      setLink(null);
      l.close();
    };
  }, [token, bus, sendWatch]);

  // The scope's default, once: mine if anything is assigned to me, else all.
  useEffect(() => {
    if (loaded && scope === null) {
      const s = staffStore.getState();
      setScope(defaultScope(Object.values(s.sessions), s.me));
    }
  }, [loaded, scope]);

  useEffect(() => scheduleWatch(), [detail, scheduleWatch]);
  const onVisible = useCallback(
    (ids: string[]) => {
      visible.current = ids;
      scheduleWatch();
    },
    [scheduleWatch],
  );

  const openDetail = useCallback((id: string | null) => {
    const from = detailRef.current;
    setDetail(id);
    if (id === null && from) {
      // Back on the cards: focus returns to the card the proctor came from.
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>(`[data-testid="session-card"][data-session-id="${from}"] [data-testid="card-open"]`)?.focus(),
      );
    }
  }, []);
  useEffect(() => {
    if (!detail) return;
    const onKey = (e: KeyboardEvent) => {
      if (
        e.key === 'Escape' &&
        !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement)
      )
        openDetail(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [detail, openDetail]);

  useAlerts(muted);
  const toggleMute = () => {
    saveMuted(!muted);
    setMuted(!muted);
  };

  const room: ControlRoom | null = useMemo(() => (token ? { link, token, bus, openDetail } : null), [link, token, bus, openDetail]);
  if (!room) return null;
  return (
    <ControlRoomContext.Provider value={room}>
      <div className="dashboard control-room">
        <div className="room-main">
          {detail ? (
            <CandidateDetail key={detail} sessionId={detail} onClose={() => openDetail(null)} />
          ) : (
            <SessionCards scope={scope ?? 'all'} onScope={setScope} onOpen={openDetail} onVisible={onVisible} />
          )}
          <RescheduleTasks />
        </div>
        <aside className="room-side" aria-label={t('cr.side')}>
          <IncidentQueue muted={muted} onToggleMute={toggleMute} />
          <FeedPanel />
        </aside>
      </div>
    </ControlRoomContext.Provider>
  );
}
