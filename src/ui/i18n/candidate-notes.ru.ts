/** Russian messages of the candidate notes. */
import type { candidateNotesEn } from './candidate-notes.en';

export const candidateNotesRu: Record<keyof typeof candidateNotesEn, string> = {
  /* notes from the proctor (a dialog, oldest first, until read) */
  'note.from': 'Это сообщение от проктора, который наблюдает за Вашим экзаменом.',
  'note.message.title': 'Сообщение от проктора',
  'note.warning.title': 'Предупреждение от проктора',
  'note.pause.title': 'Проктор приостановил Ваш экзамен',
  'note.resume.title': 'Ваш экзамен продолжается',
  'note.time.title': 'Проктор добавил время',
  'note.end.violation.title': 'Проктор прекратил Ваш экзамен',
  'note.end.technical.title': 'Проктор остановил Ваш экзамен из-за технической проблемы',
  'note.reinstated.title': 'Ваш экзамен возобновлён',
  'note.identity.approve.title': 'Ваша личность подтверждена',
  'note.identity.reject.title': 'Ваша личность не подтверждена',
  'note.reason': 'Проктор пишет: {text}',
  'note.warning.saw': 'Что заметил проктор: {incident}.',
  'note.warning.rule': 'Это предупреждение по пункту 13 Правил, такое же, как автоматическое.',
  'note.pause.body':
    'Таймер остановлен, отвечать нельзя, пока проктор не разрешит продолжить. Оставайтесь перед камерой: прокторинг продолжается.',
  'note.resume.body': 'Проктор разрешил продолжить. Таймер снова идёт.',
  'note.time.body': 'Проктор добавил к Вашему экзамену {minutes} мин.',
  'note.end.violation.body':
    'Проктор прекратил Ваш экзамен за нарушение правил экзамена (пункт 13 Правил). Центр составит акт о нарушении с приложением зафиксированных доказательств (пункт 14 Правил).',
  'note.end.technical.body':
    'Экзамен нельзя продолжить из-за технической проблемы (пункт 11 Правил). Это не нарушение и не означает, что экзамен не сдан: центр назначит новую дату.',
  'note.reinstated.body': 'Проктор проверил, что произошло, и разрешил продолжить экзамен. Осталось времени: {time}.',
  'note.reinstated.devices': 'Чтобы вернуться к вопросам, снова включите камеру и микрофон.',
  'note.identity.approve.body': 'Проктор сравнил Ваше фото с эталонным и подтвердил, что это Вы. Можно продолжать.',
  'note.identity.reject.body':
    'Проктор сравнил Ваше фото с эталонным и не смог подтвердить, что это Вы. Экзамен продолжить нельзя: обратитесь в центр.',
  'note.identity.assistant-approve.title': 'Ваш помощник подтверждён',
  'note.identity.assistant-reject.title': 'Ваш помощник не подтверждён',
  'note.identity.assistant-approve.body': 'Проктор посмотрел снимки Вашего помощника и подтвердил его. Можно продолжать.',
  'note.identity.assistant-reject.body':
    'Проктор посмотрел снимки Вашего помощника и не смог его подтвердить. С этим помощником экзамен продолжить нельзя: обратитесь в центр.',
  'note.replyLabel': 'Ваш ответ (необязательно, до {max} символов)',
  'note.replyCount': '{count} из {max} символов',
  'note.read': 'Прочитано',
  'note.understood': 'Понятно',
  'note.ackFailed': 'Не удалось отправить. Проверьте подключение и попробуйте ещё раз.',

  /* pause */
  'paused.title': 'Экзамен приостановлен',
  'paused.reason': 'Проктор приостановил экзамен: {reason}',
  'paused.body': 'Таймер остановлен, отвечать пока нельзя. Оставайтесь перед камерой; экзамен продолжится, когда проктор разрешит.',

  /* the rule 13 warning: the time left to remove the cause */
  'warning.grace.fullscreen': 'Вернитесь в полноэкранный режим в течение {seconds} с, иначе экзамен будет прекращён (пункт 13).',
  'warning.grace.camera': 'Вернитесь к камере в течение {seconds} с, иначе экзамен будет прекращён (пункт 13).',
  'warning.grace.look': 'Снова посмотрите на экран в течение {seconds} с, иначе экзамен будет прекращён (пункт 13).',
  'warning.grace.alone': 'Посторонние должны уйти из поля зрения камеры в течение {seconds} с, иначе экзамен будет прекращён (пункт 13).',
  'warning.grace.quiet': 'Перестаньте разговаривать в течение {seconds} с, иначе экзамен будет прекращён (пункт 13).',
  'warning.grace.object': 'Уберите предмет из поля зрения камеры в течение {seconds} с, иначе экзамен будет прекращён (пункт 13).',
  'warning.grace.window': 'Оставайтесь в окне экзамена: вернитесь в течение {seconds} с, иначе экзамен будет прекращён (пункт 13).',
  'warning.grace.generic': 'Устраните причину в течение {seconds} с, иначе экзамен будет прекращён (пункт 13).',
  'warning.grace.announce': 'Осталось {seconds} секунд',

  /* the briefing and the test: leaving the exam window */
  'briefing.fullscreenRecorded':
    'Экзамен открывается в полноэкранном режиме. Выход из полноэкранного режима, переключение вкладок или окон фиксируются.',
  'briefing.env.fullscreen': 'выход из полноэкранного режима дольше чем на {seconds} с',
  'briefing.env.tab': 'переход на другую вкладку дольше чем на {seconds} с',
  'briefing.env.window': 'переход в другое окно или программу дольше чем на {seconds} с',
  'test.fullscreenLostRule':
    'Вы вышли из полноэкранного режима. Вернитесь сейчас: больше {seconds} с вне полноэкранного режима — нарушение (пункт 13).',

  /* the live camera */
  'live.watching': 'Проктор смотрит изображение с Вашей камеры',

  /* how to reach the centre */
  'contact.title': 'Связаться с центром',
  'contact.reference': 'Номер Вашей сессии',
  'contact.referenceHint': 'Назовите этот номер, когда обратитесь в центр.',
  'contact.phone': 'Телефон',
  'contact.email': 'Электронная почта',
  'contact.unknown': 'Обратитесь в центр признания, который прислал Вам ссылку на экзамен.',

  /* the proctor ended the exam, or did not confirm the identity */
  'ended.byProctor': 'Экзамен прекратил проктор.',
  'identity.rejected':
    'Проктор сравнил Ваше фото с эталонным и не подтвердил Вашу личность. Экзамен продолжить нельзя: обратитесь в центр.',
};
