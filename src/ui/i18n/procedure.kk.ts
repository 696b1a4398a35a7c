/** Рәсімнің қазақша хабарлары (issue 13): журнал жазбалары. */
import type { procedureEn } from './procedure.en';

export const procedureKk: Record<keyof typeof procedureEn, string> = {
  'event.practical.assessed': 'Практикалық тапсырманы {name} бағалады',
  'event.protocol.drawn': '№ {number} хаттаманы {name} жасады',
  'event.protocol.signed': '№ {number} хаттамаға {name} қол қойды',
  'event.document.issued': '№ {number} құжат берілді ({language})',
  'event.document.revoked': '№ {number} құжатты {name} кері қайтарып алды: {reason}',
  'event.reschedule.opened': 'Емтиханды басқа күнге ауыстыру сұралды (7, 11-тармақтар); тіркеген: {name}',
  'event.exam.rescheduled': 'Емтиханды басқа күнге {name} ауыстырды',
  'event.reschedule.refused': 'Емтиханды ауыстырудан {name} бас тартты: {reason}',
};
