/** Russian messages of the control room (issue 10). */
import type { controlRoomEn } from './control-room.en';

export const controlRoomRu: Record<keyof typeof controlRoomEn, string> = {
  /* logged events (the feed and the timeline) */
  'event.incident.confirmed': 'Инцидент подтверждён ({name}): {incident}',
  'event.incident.dismissed': 'Инцидент отклонён ({name}): {incident}',
  'event.proctor.message': 'Сообщение проктора: {text}',
  'event.note.acknowledged': 'Кандидат прочитал сообщение проктора',
  'event.exam.paused': 'Экзамен приостановлен ({name}): {reason}',
  'event.exam.resumed': 'Экзамен продолжен ({name})',
  'event.exam.time_added': 'Добавлено {minutes} мин ({name}): {reason}',
  'event.exam.reinstated': 'Экзамен возобновлён ({name}): {reason}',
  'event.identity.approved': 'Личность подтверждена проктором {name} (пункт 2.8.6): {reason}',
  'event.identity.rejected': 'Личность не подтверждена проктором {name} (пункт 2.8.6): {reason}',
  'event.live.opened': 'Живая камера открыта ({name})',
  'event.live.closed': 'Живая камера закрыта через {seconds} с',
  'event.session.assigned': 'Назначен проктор {proctor}',
  'event.session.replaced': 'Открыт заново в другом окне ({address})',
};
