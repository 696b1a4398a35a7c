/** English messages of the control room (issue 10). kk and ru have the same keys. */
export const controlRoomEn = {
  /* logged events (the feed and the timeline) */
  'event.incident.confirmed': 'Incident confirmed by {name}: {incident}',
  'event.incident.dismissed': 'Incident dismissed by {name}: {incident}',
  'event.proctor.message': 'Message from the proctor: {text}',
  'event.note.acknowledged': 'The candidate read the proctor’s note',
  'event.exam.paused': 'Exam paused by {name}: {reason}',
  'event.exam.resumed': 'Exam resumed by {name}',
  'event.exam.time_added': '{minutes} min added by {name}: {reason}',
  'event.exam.reinstated': 'Exam reinstated by {name}: {reason}',
  'event.identity.approved': 'Identity confirmed by the proctor {name} (rule 2.8.6): {reason}',
  'event.identity.rejected': 'Identity rejected by the proctor {name} (rule 2.8.6): {reason}',
  'event.live.opened': 'Live camera opened by {name}',
  'event.live.closed': 'Live camera closed after {seconds} s',
  'event.session.assigned': 'Assigned to the proctor {proctor}',
  'event.session.replaced': 'Opened again in another window ({address})',
} as const;
