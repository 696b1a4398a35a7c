/**
 * What the proctor tells the candidate: the oldest unread note as a modal dialog that
 * says plainly it comes from the proctor: a message (with an optional short reply), a rule 13
 * warning (what the proctor saw, their words, and that the next violation ends the exam), a pause
 * or its end, added time, the end of the exam, its reinstatement with the time left, or the
 * proctor's decision on the identity. The candidate acknowledges it ('note:ack'); the next note,
 * if any, follows. Escape does not close it: it stays until it has been read.
 */
import { useId, useState } from 'react';
import { useStore } from 'zustand';
import type { ProctorNote } from '../shared/control-room';
import { examStore } from '../stores/exam-store';
import { Dialog } from '../ui/components/Dialog';
import { useT, type MessageKey, type Translate } from '../ui/i18n/i18n';
import { formatClock } from '../ui/time-format';
import { currentNote, examTimeLeftMs, NOTE_REPLY_MAX, noteReply } from './proctor-actions';
import { useCandidateRuntime } from './runtime-context';

const TITLE: Record<ProctorNote['kind'], MessageKey> = {
  message: 'note.message.title',
  warning: 'note.warning.title',
  pause: 'note.pause.title',
  resume: 'note.resume.title',
  time: 'note.time.title',
  end: 'note.end.violation.title',
  reinstated: 'note.reinstated.title',
  identity: 'note.identity.approve.title',
};

const TITLE_ID = 'proctor-note-title';
const BODY_ID = 'proctor-note-body';

/** The proctor's decision on the candidate's identity or (rule 11) on their assistant's. */
const IDENTITY_OUTCOMES = ['approve', 'reject', 'assistant-approve', 'assistant-reject'] as const;
function identityOutcome(note: ProctorNote): (typeof IDENTITY_OUTCOMES)[number] {
  return IDENTITY_OUTCOMES.find((o) => o === note.outcome) ?? 'approve';
}

function titleOf(t: Translate, note: ProctorNote): string {
  if (note.kind === 'end' && note.outcome === 'technical') return t('note.end.technical.title');
  if (note.kind === 'identity' && note.outcome !== 'approve') return t(`note.identity.${identityOutcome(note)}.title`);
  return t(TITLE[note.kind]);
}

/** The body of one note, in plain words. */
function NoteText(props: { note: ProctorNote }) {
  const t = useT();
  const { note } = props;
  const snapshot = useStore(examStore, (s) => s.snapshot);
  const offset = useStore(examStore, (s) => s.clockOffsetMs);
  const devicesOn = useStore(examStore, (s) => s.camera === 'on' && s.microphone === 'on');
  const reason = note.text ? <p className="proctor-words">{t('note.reason', { text: note.text })}</p> : null;
  switch (note.kind) {
    case 'message':
      return <blockquote className="proctor-words">{note.text}</blockquote>;
    case 'warning':
      return (
        <>
          {note.incidentType ? (
            <p>
              <strong>{t('note.warning.saw', { incident: t(`incident.${note.incidentType}` as MessageKey) })}</strong>
            </p>
          ) : null}
          {reason}
          <p>{t('note.warning.rule')}</p>
          <p className="error">{t('warning.next')}</p>
        </>
      );
    case 'pause':
      return (
        <>
          {reason}
          <p>{t('note.pause.body')}</p>
        </>
      );
    case 'resume':
      return <p>{t('note.resume.body')}</p>;
    case 'time':
      return (
        <>
          <p>
            <strong>{t('note.time.body', { minutes: note.minutes ?? 0 })}</strong>
          </p>
          {reason}
        </>
      );
    case 'end':
      return (
        <>
          <p>{note.outcome === 'technical' ? t('note.end.technical.body') : t('note.end.violation.body')}</p>
          {reason}
        </>
      );
    case 'reinstated': {
      const left = examTimeLeftMs(snapshot, Date.now(), offset);
      return (
        <>
          <p>{t('note.reinstated.body', { time: left === null ? '—' : formatClock(left) })}</p>
          {reason}
          {devicesOn ? null : <p>{t('note.reinstated.devices')}</p>}
        </>
      );
    }
    case 'identity':
      return (
        <>
          <p className={note.outcome?.endsWith('reject') ? 'error' : 'ok'}>{t(`note.identity.${identityOutcome(note)}.body`)}</p>
          {reason}
        </>
      );
  }
}

function NoteBody(props: { note: ProctorNote }) {
  const rt = useCandidateRuntime();
  const t = useT();
  const { note } = props;
  const busy = useStore(examStore, (s) => s.busy);
  const [reply, setReply] = useState('');
  const [failed, setFailed] = useState(false);
  const replyId = `${useId()}-reply`;
  const acknowledge = () => {
    setFailed(false);
    rt.acknowledgeNote(note.id, note.kind === 'message' ? noteReply(reply) : undefined).catch(() => setFailed(true));
  };
  return (
    <div className="proctor-note" data-testid="proctor-note" data-kind={note.kind} data-note-id={note.id}>
      <p className="hint">{t('note.from')}</p>
      <h2 id={TITLE_ID}>{titleOf(t, note)}</h2>
      <div id={BODY_ID}>
        <NoteText note={note} />
      </div>
      {note.kind === 'message' ? (
        <p className="note-reply">
          <label htmlFor={replyId}>{t('note.replyLabel', { max: NOTE_REPLY_MAX })}</label>
          <textarea
            id={replyId}
            rows={3}
            maxLength={NOTE_REPLY_MAX}
            value={reply}
            onChange={(e) => setReply(e.target.value.slice(0, NOTE_REPLY_MAX))}
            aria-describedby={`${replyId}-count`}
            data-testid="note-reply"
          />
          <span id={`${replyId}-count`} className="hint">
            {t('note.replyCount', { count: reply.length, max: NOTE_REPLY_MAX })}
          </span>
        </p>
      ) : null}
      {failed ? (
        <p role="alert" className="error">
          {t('note.ackFailed')}
        </p>
      ) : null}
      <div className="button-row">
        <button type="button" className="primary" autoFocus disabled={busy} onClick={acknowledge} data-testid="note-ack">
          {note.kind === 'message' ? t('note.read') : t('note.understood')}
        </button>
      </div>
    </div>
  );
}

/**
 * The oldest unread note, shown over whatever screen the candidate is on. The dialog itself is the
 * alertdialog (rule 11: a screen reader reads its title and body when it opens), not a box inside it.
 */
export function ProctorNoteDialog() {
  const note = useStore(examStore, (s) => currentNote(s.snapshot));
  return (
    <Dialog open={note !== null} role="alertdialog" labelledBy={TITLE_ID} describedBy={BODY_ID} onCancel={() => undefined} persistent>
      {note ? <NoteBody key={note.id} note={note} /> : null}
    </Dialog>
  );
}
