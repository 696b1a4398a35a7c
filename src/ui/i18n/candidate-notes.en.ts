/** English messages of the candidate notes. kk and ru have the same keys. */
export const candidateNotesEn = {
  /* notes from the proctor (a dialog, oldest first, until read) */
  'note.from': 'This comes from the proctor who watches your exam.',
  'note.message.title': 'A message from the proctor',
  'note.warning.title': 'A warning from the proctor',
  'note.pause.title': 'The proctor has paused your exam',
  'note.resume.title': 'Your exam continues',
  'note.time.title': 'The proctor has added time',
  'note.end.violation.title': 'The proctor has ended your exam',
  'note.end.technical.title': 'The proctor has stopped your exam because of a technical problem',
  'note.reinstated.title': 'Your exam is back on',
  'note.identity.approve.title': 'Your identity is confirmed',
  'note.identity.reject.title': 'Your identity was not confirmed',
  'note.reason': 'The proctor wrote: {text}',
  'note.warning.saw': 'What the proctor saw: {incident}.',
  'note.warning.rule': 'This is the warning of rule 13 of the exam rules, the same as an automatic one.',
  'note.pause.body':
    'The timer is stopped and you cannot answer until the proctor lets you continue. Stay in front of the camera: proctoring goes on.',
  'note.resume.body': 'The proctor has let you continue. The timer is running again.',
  'note.time.body': 'The proctor has added {minutes} min to your exam.',
  'note.end.violation.body':
    'The proctor ended your exam for a violation of the exam rules (rule 13). The centre draws up an act of the violation with the recorded evidence (rule 14).',
  'note.end.technical.body':
    'The exam cannot go on because of a technical problem (rule 11). This is not a violation and not a fail: the centre will set a new date.',
  'note.reinstated.body': 'The proctor has checked what happened and lets your exam go on. Time left: {time}.',
  'note.reinstated.devices': 'Turn the camera and microphone on again to go back to the questions.',
  'note.identity.approve.body': 'The proctor has compared your photo with the reference photo and confirmed that it is you. You may go on.',
  'note.identity.reject.body':
    'The proctor has compared your photo with the reference photo and could not confirm that it is you. The exam cannot go on: please contact the centre.',
  'note.identity.assistant-approve.title': 'Your assistant is confirmed',
  'note.identity.assistant-reject.title': 'Your assistant was not confirmed',
  'note.identity.assistant-approve.body': "The proctor has looked at your assistant's photos and confirmed them. You may go on.",
  'note.identity.assistant-reject.body':
    "The proctor has looked at your assistant's photos and could not confirm them. The exam cannot go on with this assistant: please contact the centre.",
  'note.replyLabel': 'Your reply (optional, up to {max} characters)',
  'note.replyCount': '{count} of {max} characters',
  'note.read': 'Read',
  'note.understood': 'I understand',
  'note.ackFailed': 'This could not be sent. Check the connection and try again.',

  /* pause */
  'paused.title': 'The exam is paused',
  'paused.reason': 'The proctor paused the exam: {reason}',
  'paused.body':
    'The timer is stopped and you cannot answer for now. Stay in front of the camera; the exam goes on when the proctor lets it.',

  /* the rule 13 warning: the time left to remove the cause */
  'warning.grace.fullscreen': 'Return to full screen within {seconds} s, or the exam ends (rule 13).',
  'warning.grace.camera': 'Come back in front of the camera within {seconds} s, or the exam ends (rule 13).',
  'warning.grace.look': 'Look at the screen again within {seconds} s, or the exam ends (rule 13).',
  'warning.grace.alone': 'Anyone else must leave the camera’s view within {seconds} s, or the exam ends (rule 13).',
  'warning.grace.quiet': 'Stop talking within {seconds} s, or the exam ends (rule 13).',
  'warning.grace.object': 'Put it away, out of the camera’s view, within {seconds} s, or the exam ends (rule 13).',
  'warning.grace.window': 'Stay in the exam window: come back within {seconds} s, or the exam ends (rule 13).',
  'warning.grace.generic': 'Remove the cause within {seconds} s, or the exam ends (rule 13).',
  'warning.grace.announce': '{seconds} seconds left',

  /* the briefing and the test: leaving the exam window */
  'briefing.fullscreenRecorded': 'The exam opens in full screen. Leaving full screen, switching tabs or windows is recorded.',
  'briefing.env.fullscreen': 'out of full screen for more than {seconds} s',
  'briefing.env.tab': 'on another tab for more than {seconds} s',
  'briefing.env.window': 'in another window or program for more than {seconds} s',
  'test.fullscreenLostRule': 'You left full screen. Go back now: more than {seconds} s out of full screen is a violation (rule 13).',

  /* the live camera */
  'live.watching': 'The proctor is watching your camera',

  /* how to reach the centre */
  'contact.title': 'Contact the centre',
  'contact.reference': 'Your session reference',
  'contact.referenceHint': 'Give this reference when you contact the centre.',
  'contact.phone': 'Phone',
  'contact.email': 'Email',
  'contact.unknown': 'Contact the recognition centre that sent you the exam link.',

  /* the proctor ended the exam, or did not confirm the identity */
  'ended.byProctor': 'The proctor ended the exam.',
  'identity.rejected':
    'The proctor compared your photo with the reference photo and did not confirm your identity. The exam cannot go on: please contact the centre.',
} as const;
