/** English messages of accommodations (issue 18, rules 10-11): what is set, the log, the admin's form, the briefing, the card. */
export const accommodationsEn = {
  'event.accommodations.set': 'Accommodations set by {name}: {summary}. Reason: {reason}',
  'event.accommodations.applied': 'The exam started with accommodations: {summary}',

  // One line per accommodation (the card, the briefing, the log).
  'acc.none': 'none',
  'acc.extraTime.percent': 'extra time: +{value}%',
  'acc.extraTime.minutes': 'extra time: +{value} min',
  'acc.screenReader': 'a screen reader: looking away from the screen is not a violation',
  'acc.assistant': 'an assistant in the room ({name}): a second person and speech are not violations',
  'acc.speech': 'speaking allowed: speech is not a violation',
  'acc.largeText': 'large text',
  'acc.highContrast': 'high contrast',
  'acc.breaks': 'breaks: {count} of up to {minutes} min each',
  'admin.audit.candidate.accommodations': 'set accommodations (rules 10-11)',
  'acc.title': 'Accommodations',

  // The briefing (rules 10-11)
  'acc.briefing.title': 'Your accommodations (rules 10-11)',
  'acc.briefing.extraTime': 'Your exam lasts {minutes} min with the extra time.',
  'acc.briefing.still': 'Everything else is checked as usual and the whole exam is recorded.',

  // The admin's form
  'acc.form.title': 'Accommodations for a candidate with a disability (rules 10-11)',
  'acc.form.extraTime': 'Extra time',
  'acc.form.extraNone': 'none',
  'acc.form.extraPercent': 'percent of the exam',
  'acc.form.extraMinutes': 'minutes',
  'acc.form.extraValue': 'How much',
  'acc.form.screenReader': 'Uses a screen reader (looking away from the screen is not a violation)',
  'acc.form.assistant': 'An assistant in the room (a reader, a sign-language interpreter)',
  'acc.form.assistantName': "Assistant's full name",
  'acc.form.speech': 'May speak (dictation, reading aloud)',
  'acc.form.largeText': 'Large text',
  'acc.form.highContrast': 'High contrast',
  'acc.form.breaks': 'Breaks (the timer stops)',
  'acc.form.breakCount': 'How many',
  'acc.form.breakMinutes': 'Minutes each',
  'acc.form.reason': 'Reason (for example, the disability certificate number)',
  'acc.form.document': 'Supporting document (photo or PDF, optional)',
  'acc.form.save': 'Save accommodations',
  'acc.form.saved': 'Saved. Exams not started yet will run with them ({count}).',
  'acc.form.setBy': 'Set by {name}, {at}',
  'acc.form.error': 'Not saved: check the values and the reason.',
  'acc.form.documentError': 'The document must be a photo (JPEG, PNG) or a PDF up to 5 MB.',

  // The candidate's own breaks (the test screen)
  'break.take': 'Take a break ({left} of {count} left, up to {minutes} min)',
  'break.title': 'Break',
  'break.until': 'The timer is stopped. The break ends at {time} at the latest, and the exam goes on.',
  'break.body': 'The timer is stopped. The exam goes on when the break ends.',
  'break.end': 'End the break and go on',
  'break.noneLeft': 'You have taken all your breaks.',
  'break.failed': 'That did not work. Check the connection and try again.',
  'event.break.started': 'Break {number} of {of} started (up to {minutes} min)',
  'event.break.ended': 'Break ended',
  'event.incident.excused': '{incident} during a break: logged, not a violation',
} as const;
