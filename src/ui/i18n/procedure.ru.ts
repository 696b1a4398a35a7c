/** Русские сообщения процедуры после экзамена (issue 13): записи журнала. */
import type { procedureEn } from './procedure.en';

export const procedureRu: Record<keyof typeof procedureEn, string> = {
  'event.practical.assessed': 'Практическое задание оценил(а) {name}',
  'event.protocol.drawn': 'Протокол № {number} составил(а) {name}',
  'event.protocol.signed': 'Протокол № {number} подписал(а) {name}',
  'event.document.issued': 'Выдан документ № {number} ({language})',
  'event.document.revoked': 'Документ № {number} отозван, {name}: {reason}',
};
