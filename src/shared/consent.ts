/**
 * Appendix 1: the candidate's consent to the processing of personal data and, for the online
 * exam, to being recorded. The Kazakh text follows the consent line of Appendix 1 of Order
 * No. 374 (../shared/seeds/000_09fe34c761a4da24.txt) and adds what online proctoring records
 * (rule 2.8: video, sound, the room scan, the face check, events). Russian and English say the same.
 *
 * Both sides use this file: the browser shows the text of CURRENT_CONSENT in the exam language
 * and sends its version and sha256; the centre accepts only a (version, sha256) pair listed here,
 * so the record says exactly which words the candidate agreed to. A changed wording is a new
 * version with new hashes (consent.test.ts recomputes every hash from the text); old versions
 * stay listed so that earlier records still resolve to their text.
 */
import type { UiLanguage } from './languages';

export interface ConsentText {
  version: string;
  /** Paragraphs, shown one after another. */
  text: Record<UiLanguage, readonly string[]>;
  /** SHA-256 (hex) of the UTF-8 text joined by "\n" (consentBody), per language. */
  sha256: Record<UiLanguage, string>;
}

const APPENDIX_1_2023_1: ConsentText = {
  version: 'appendix1-2023.1',
  text: {
    kk: [
      'Кәсіптік біліктілікті тану рәсімінен өту кезінде дербес деректерді өңдеуге келісемін және менің дербес деректерімді ҰБЖ цифрлық платформасында орналастыруға келісім беремін (Кәсіптік біліктілікті тану қағидаларының 1-қосымшасы).',
      'Онлайн емтихан онлайн-прокторингпен өтеді (қағидалардың 2-тармағының 8) тармақшасы). Емтихан кезінде менің бейнем мен дауысым, бөлменің 360 градус түсірілімі, бет-әлпетімді тексеру үшін түсірілген суреттер мен күдікті оқиғалар журналы жазылып, тану орталығында сақталатынына келісемін.',
      'Бұл жазбаларды тек тану орталығының уәкілетті қызметкерлері емтиханды бақылау, бұзушылық актісін жасау және апелляцияны қарау үшін пайдаланады.',
      'Келісім бермесем, емтихан онлайн режимде өткізілмейді.',
    ],
    ru: [
      'Даю согласие на обработку персональных данных при прохождении процедуры признания профессиональной квалификации и на размещение моих персональных данных на цифровой платформе НКС (приложение 1 к Правилам признания профессиональной квалификации).',
      'Онлайн-экзамен проходит с онлайн-прокторингом (подпункт 8) пункта 2 Правил). Я согласен(на), что во время экзамена записываются и хранятся в центре признания моё видео и звук, съёмка комнаты на 360 градусов, снимки для проверки моей личности и журнал подозрительных событий.',
      'Эти записи используют только уполномоченные сотрудники центра признания: для наблюдения за экзаменом, составления акта о нарушении и рассмотрения апелляции.',
      'Без моего согласия экзамен в онлайн-режиме не проводится.',
    ],
    en: [
      'I consent to the processing of my personal data during the procedure for recognition of professional qualifications and to placing my personal data on the NQS digital platform (Appendix 1 to the Rules for recognition of professional qualifications).',
      'The online exam is held under online proctoring (rule 2.8). I agree that during the exam my video and sound, a 360-degree recording of the room, pictures taken to verify my identity and a log of suspicious events are recorded and kept at the recognition centre.',
      'Only authorised staff of the recognition centre use these records: to supervise the exam, to draw up a violation act and to consider an appeal.',
      'Without my consent the exam is not held online.',
    ],
  },
  sha256: {
    kk: 'be964c8302d2c9470b7f30c49006417641f6f7874698fcf1a248f13e210c1f21',
    ru: '83f695e4d6cbf61129c5d3a15d620154bfc92c23eb0df13a2ca0c3f33322d18a',
    en: '187ff65806fb2e7df4e1f4749429cccb1a58a8ecc86c6ad94b9889b4004f13cb',
  },
};

/** Every version the centre accepts, newest last. */
export const CONSENT_TEXTS: readonly ConsentText[] = [APPENDIX_1_2023_1];
/** The version shown to candidates now. */
export const CURRENT_CONSENT: ConsentText = APPENDIX_1_2023_1;

/** The exact string whose SHA-256 is recorded: the paragraphs joined by a newline. */
export function consentBody(text: ConsentText, language: UiLanguage): string {
  return text.text[language].join('\n');
}

/** The listed text for a (version, language, sha256) triple, or null when the centre does not know it. */
export function findConsentText(version: string, language: UiLanguage, sha256: string): ConsentText | null {
  return CONSENT_TEXTS.find((c) => c.version === version && c.sha256[language] === sha256) ?? null;
}
