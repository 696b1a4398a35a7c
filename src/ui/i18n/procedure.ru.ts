/** Русские сообщения процедуры после экзамена (issue 13): записи журнала. */
import type { procedureEn } from './procedure.en';

export const procedureRu: Record<keyof typeof procedureEn, string> = {
  'event.practical.assessed': 'Практическое задание оценил(а) {name}',
  'event.protocol.drawn': 'Протокол № {number} составил(а) {name}',
  'event.protocol.signed': 'Протокол № {number} подписал(а) {name}',
  'event.document.issued': 'Выдан документ № {number} ({language})',
  'event.document.revoked': 'Документ № {number} отозван, {name}: {reason}',
  'event.reschedule.opened': 'Запрошен перенос экзамена на другой день (пункты 7, 11); оформил: {name}',
  'event.exam.rescheduled': 'Экзамен перенесён на другой день, {name}',
  'event.reschedule.refused': 'В переносе экзамена отказано, {name}: {reason}',
};
