/**
 * What each incident type is called, in kk / ru (and en for staff), for the documents the
 * centre draws up (rule 14's violation act). The same words as the screens' catalogues
 * (`incident.<type>` in src/ui/i18n), which a test keeps equal: the act says what the candidate and
 * the proctor were shown.
 */
import type { IncidentType } from './incidents';
import type { LocalisedText } from './programme';

export const INCIDENT_NAMES: Record<IncidentType, LocalisedText> = {
  'face.absent': { kk: 'Камера алдында ешкім жоқ', ru: 'Перед камерой никого нет', en: 'No one in front of the camera' },
  'face.multiple': { kk: 'Кадрда бірнеше адам бар', ru: 'В кадре больше одного человека', en: 'More than one person in view' },
  'face.mismatch': { kk: 'Басқа адам', ru: 'Другой человек', en: 'A different person' },
  'head.away': { kk: 'Экраннан басқа жаққа қарау', ru: 'Взгляд в сторону от экрана', en: 'Looking away from the screen' },
  'body.left': { kk: 'Орнынан кетті', ru: 'Уход с рабочего места', en: 'Left the seat' },
  'body.motion': { kk: 'Көп қозғалыс', ru: 'Много движений', en: 'A lot of movement' },
  'audio.noise': { kk: 'Қатты шу', ru: 'Громкий шум', en: 'Loud noise' },
  'audio.speech': { kk: 'Сөйлеу', ru: 'Разговор', en: 'Talking' },
  'audio.muted': { kk: 'Микрофоннан дыбыс жоқ', ru: 'Нет звука с микрофона', en: 'Microphone silent' },
  'object.phone': { kk: 'Кадрда телефон бар', ru: 'В кадре телефон', en: 'A phone in view' },
  'object.book': { kk: 'Кадрда кітап немесе жазбалар бар', ru: 'В кадре книга или записи', en: 'A book or notes in view' },
  'object.laptop': { kk: 'Кадрда басқа компьютер бар', ru: 'В кадре другой компьютер', en: 'Another computer in view' },
  'object.headphones': { kk: 'Құлаққап', ru: 'Наушники', en: 'Headphones' },
  'object.remote': {
    kk: 'Кадрда пульт немесе шағын құрылғы бар',
    ru: 'В кадре пульт или небольшое устройство',
    en: 'A remote or small device in view',
  },
  'object.keyboard': { kk: 'Кадрда қосымша пернетақта бар', ru: 'В кадре лишняя клавиатура', en: 'An extra keyboard in view' },
  'env.focus_lost': { kk: 'Емтихан терезесінен шықты', ru: 'Уход из окна экзамена', en: 'Left the exam window' },
  'env.tab_hidden': { kk: 'Басқа қойындыға ауысты', ru: 'Переход на другую вкладку', en: 'Switched to another tab' },
  'env.fullscreen_exit': { kk: 'Толық экран режимінен тыс', ru: 'Вне полноэкранного режима', en: 'Out of full screen' },
  'env.second_screen': { kk: 'Екінші экран', ru: 'Второй экран', en: 'A second screen' },
  'env.virtual_camera': { kk: 'Виртуалды камера', ru: 'Виртуальная камера', en: 'A virtual camera' },
  'env.clipboard': { kk: 'Көшіру немесе қою', ru: 'Копирование или вставка', en: 'Copy or paste' },
  'tech.camera_lost': { kk: 'Камера ажырап қалды', ru: 'Камера отключилась', en: 'Camera lost' },
  'tech.mic_lost': { kk: 'Микрофон ажырап қалды', ru: 'Микрофон отключился', en: 'Microphone lost' },
  'tech.offline': { kk: 'Байланыс жоқ', ru: 'Нет связи', en: 'No connection' },
  'tech.low_fps': { kk: 'Прокторинг тым баяу', ru: 'Прокторинг работает слишком медленно', en: 'Proctoring too slow' },
  'tech.model_failed': { kk: 'Прокторинг ақауы', ru: 'Сбой прокторинга', en: 'Proctoring failed' },
};

/** A proctor ended the exam for a violation without naming a recorded incident (rule 13 by a person). */
export const PROCTOR_ENDED_FOR_VIOLATION: LocalisedText = {
  kk: 'Проктор емтиханды бұзушылық үшін тоқтатты',
  ru: 'Проктор прекратил экзамен за нарушение',
  en: 'A proctor ended the exam for a violation',
};
