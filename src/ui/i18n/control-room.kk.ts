/** Kazakh messages of the control room (issue 10). */
import type { controlRoomEn } from './control-room.en';

export const controlRoomKk: Record<keyof typeof controlRoomEn, string> = {
  /* logged events (the feed and the timeline) */
  'event.incident.confirmed': 'Оқиғаны {name} растады: {incident}',
  'event.incident.dismissed': 'Оқиғаны {name} қабылдамады: {incident}',
  'event.proctor.message': 'Проктордың хабарламасы: {text}',
  'event.note.acknowledged': 'Үміткер проктордың хабарын оқыды',
  'event.exam.paused': 'Емтиханды {name} тоқтата тұрды: {reason}',
  'event.exam.resumed': 'Емтиханды {name} жалғастырды',
  'event.exam.time_added': '{name} {minutes} мин қосты: {reason}',
  'event.exam.reinstated': 'Емтиханды {name} қайта жалғастырды: {reason}',
  'event.identity.approved': 'Жеке басын проктор {name} растады (2.8.6-тармақ): {reason}',
  'event.identity.rejected': 'Жеке басын проктор {name} растамады (2.8.6-тармақ): {reason}',
  'event.live.opened': 'Тікелей камераны {name} ашты',
  'event.live.closed': 'Тікелей камера {seconds} с кейін жабылды',
  'event.session.assigned': 'Проктор {proctor} тағайындалды',
  'event.session.replaced': 'Басқа терезеде қайта ашылды ({address})',
};
