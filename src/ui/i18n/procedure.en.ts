/** English messages of the procedure after the exam (issue 13): its log entries. */
export const procedureEn = {
  'event.practical.assessed': 'Practical task assessed by {name}',
  'event.protocol.drawn': 'Protocol No. {number} drawn up by {name}',
  'event.protocol.signed': 'Protocol No. {number} signed by {name}',
  'event.document.issued': 'Document No. {number} issued ({language})',
  'event.document.revoked': 'Document No. {number} revoked by {name}: {reason}',
  'event.reschedule.opened': 'Moving the exam to another day asked (rules 7, 11); filed by {name}',
  'event.exam.rescheduled': 'Exam moved to another day by {name}',
  'event.reschedule.refused': 'Moving the exam refused by {name}: {reason}',
} as const;
