/**
 * The working-day calendar of the Republic of Kazakhstan as data: which days are holidays by law,
 * which are days off by the Labour Code, and which days the government moved, per year.
 * The rules that turn this into working days (weekends, the move of a holiday that falls on a
 * weekend) are in working-days.ts; this file holds only facts, each with its source.
 *
 * Checked on 2026-12-06 against published sources (the Law's text on adilet.zan.kz, the eGov
 * holiday calendars as reported by Kazinform, Zakon.kz and others, the Ministry of Labour's
 * statements, the Spiritual Administration of Muslims of Kazakhstan's religious calendar).
 * What could not be verified is written down in `notes` and, where a day depends on it, in
 * `unknownDays`: the calendar refuses to answer for such a day rather than guess (working-days.ts).
 *
 * To add a year: its Kurban Ait date (ДУМК / the Ministry of Labour announce it in the autumn
 * before), every order that moves a day off (Labour Code art. 85(3)) with its number and date,
 * and any change of the Law on holidays. The tests check the data's shape.
 *
 * Licence: the facts come from official acts (laws, codes, the Constitution, ministerial orders),
 * which are not objects of copyright in Kazakhstan (Law on copyright and related rights, art. 8);
 * the press reports cited only locate them. The wording here is ours.
 */
import type { LocalisedText } from './programme';

export type HolidayId =
  | 'new-year'
  | 'orthodox-christmas'
  | 'womens-day'
  | 'nauryz'
  | 'constitution-day'
  | 'unity-day'
  | 'defender-day'
  | 'victory-day'
  | 'capital-day'
  | 'republic-day'
  | 'independence-day'
  | 'kurban-ait';

/**
 * `public`: a national or state holiday of the Law on holidays. It is a non-working day and,
 * when it falls on a Saturday or Sunday, the next working day is a day off instead (art. 5).
 * `religious`: a day off under the Labour Code art. 84(5) (the first day of Kurban Ait,
 * 7 January). It is not a holiday of the Law, so a Saturday or Sunday one is not moved.
 */
export type HolidayKind = 'public' | 'religious';

export interface HolidayRule {
  id: HolidayId;
  kind: HolidayKind;
  /** Month and day, each year the rule is in force. Kurban Ait has none: its date is per year. */
  days: ReadonlyArray<readonly [month: number, day: number]>;
  /** First and last year the rule applies (inclusive); absent: from before, or still in force. */
  firstYear?: number;
  lastYear?: number;
  name: LocalisedText;
  source: string;
}

export interface Transfer {
  /** The weekday made a day off. */
  dayOff: string;
  /** The weekend day made a working day in exchange. */
  workingDay: string;
  source: string;
}

export interface CalendarYearData {
  year: number;
  /** The first day of Kurban Ait (a religious day off), or null where not yet verified. */
  kurbanAit: { date: string; source: string } | null;
  /** Days moved by the authorised body for labour (Labour Code art. 85(3)). */
  transfers: readonly Transfer[];
  /**
   * Inclusive date ranges whose working status depends on a fact not yet verified (e.g. the
   * Kurban Ait date of a year ahead). Asking about a weekday in one is an error, not a guess.
   */
  unknownDays: ReadonlyArray<{ from: string; to: string; why: string }>;
  /** What was checked, and what is missing, in words. */
  notes: readonly string[];
}

const LAW_ON_HOLIDAYS =
  'Law of the Republic of Kazakhstan No. 267-II of 13 December 2001 "On holidays in the Republic of Kazakhstan", arts. 2-3';
const LAW_2022 =
  'Law "On amendments ... on cinematography, culture and holidays", signed 29 September 2022: 25 October made a national holiday, Independence Day a state holiday of one day (16 December; 17 December no longer a holiday), 1 December dropped';
const LABOUR_CODE_84_5 =
  'Labour Code of the Republic of Kazakhstan (23 November 2015 No. 414-V), art. 84(5): the first day of Kurban Ait and 7 January (Orthodox Christmas) are days off whatever the work regime; not holidays of the Law, so never moved';
const CONSTITUTION_2026 =
  'Constitution of the Republic of Kazakhstan adopted by referendum on 15 March 2026 (in force 1 July 2026), art. 94(2): the day of its adoption is a state holiday, Constitution Day';

/** The Law's holidays and the Labour Code's religious days off, with the years each applies. */
export const HOLIDAY_RULES: readonly HolidayRule[] = [
  {
    id: 'new-year',
    kind: 'public',
    days: [
      [1, 1],
      [1, 2],
    ],
    source: `${LAW_ON_HOLIDAYS} (art. 3)`,
    name: { kk: 'Жаңа жыл', ru: 'Новый год', en: 'New Year' },
  },
  {
    id: 'orthodox-christmas',
    kind: 'religious',
    days: [[1, 7]],
    source: LABOUR_CODE_84_5,
    name: { kk: 'Православиелік Рождество', ru: 'Православное Рождество', en: 'Orthodox Christmas' },
  },
  {
    id: 'womens-day',
    kind: 'public',
    days: [[3, 8]],
    source: `${LAW_ON_HOLIDAYS} (art. 3)`,
    name: { kk: 'Халықаралық әйелдер күні', ru: 'Международный женский день', en: "International Women's Day" },
  },
  {
    id: 'constitution-day',
    kind: 'public',
    days: [[3, 15]],
    firstYear: 2027,
    source: `${CONSTITUTION_2026}; the Ministry of Labour said it is celebrated from 2027 (Taspanews, 18 March 2026). The amendment of the Law on holidays itself was not found in the sources available.`,
    name: { kk: 'Конституция күні', ru: 'День Конституции', en: 'Constitution Day' },
  },
  {
    id: 'nauryz',
    kind: 'public',
    days: [
      [3, 21],
      [3, 22],
      [3, 23],
    ],
    source: `${LAW_ON_HOLIDAYS} (art. 3)`,
    name: { kk: 'Наурыз мейрамы', ru: 'Наурыз мейрамы', en: 'Nauryz' },
  },
  {
    id: 'unity-day',
    kind: 'public',
    days: [[5, 1]],
    source: `${LAW_ON_HOLIDAYS} (art. 3)`,
    name: {
      kk: 'Қазақстан халқының бірлігі мерекесі',
      ru: 'Праздник единства народа Казахстана',
      en: 'Unity Day of the People of Kazakhstan',
    },
  },
  {
    id: 'defender-day',
    kind: 'public',
    days: [[5, 7]],
    source: `${LAW_ON_HOLIDAYS} (art. 3)`,
    name: { kk: 'Отан қорғаушы күні', ru: 'День защитника Отечества', en: 'Defender of the Fatherland Day' },
  },
  {
    id: 'victory-day',
    kind: 'public',
    days: [[5, 9]],
    source: `${LAW_ON_HOLIDAYS} (art. 3)`,
    name: { kk: 'Жеңіс күні', ru: 'День Победы', en: 'Victory Day' },
  },
  {
    id: 'capital-day',
    kind: 'public',
    days: [[7, 6]],
    source: `${LAW_ON_HOLIDAYS} (art. 3)`,
    name: { kk: 'Астана күні', ru: 'День Столицы', en: 'Capital Day' },
  },
  {
    id: 'constitution-day',
    kind: 'public',
    days: [[8, 30]],
    lastYear: 2025,
    source: `${LAW_ON_HOLIDAYS} (art. 3). Not a holiday from 2026: the Ministry of Labour said 30 August 2026 is no longer Constitution Day after the new Constitution (Taspanews, 18 March 2026).`,
    name: { kk: 'Конституция күні', ru: 'День Конституции', en: 'Constitution Day' },
  },
  {
    id: 'republic-day',
    kind: 'public',
    days: [[10, 25]],
    firstYear: 2022,
    source: `${LAW_ON_HOLIDAYS} (art. 2); ${LAW_2022}`,
    name: { kk: 'Республика күні', ru: 'День Республики', en: 'Republic Day' },
  },
  {
    id: 'independence-day',
    kind: 'public',
    days: [[12, 16]],
    source: `${LAW_ON_HOLIDAYS} (art. 3); ${LAW_2022}`,
    name: { kk: 'Тәуелсіздік күні', ru: 'День Независимости', en: 'Independence Day' },
  },
];

export const KURBAN_AIT_NAME: LocalisedText = {
  kk: 'Құрбан айттың бірінші күні',
  ru: 'Первый день Курбан айта',
  en: 'First day of Kurban Ait',
};

/** The years the calendar knows. A date in any other year is an error (working-days.ts). */
export const CALENDAR_YEARS: readonly CalendarYearData[] = [
  {
    year: 2025,
    kurbanAit: {
      date: '2025-06-06',
      source: `${LABOUR_CODE_84_5}; date set by the Ministry of Labour with the Spiritual Administration of Muslims of Kazakhstan (ДУМК), reported by mgorod.kz`,
    },
    transfers: [
      {
        dayOff: '2025-01-03',
        workingDay: '2025-01-05',
        source:
          "Order of the Minister of Labour and Social Protection of the Population (announced November 2024) under Labour Code art. 85(3): the day off moved from Sunday 5 January to Friday 3 January 2025 (Kursiv, 23 December 2024; Informburo). The order's number and registration were not found in the sources available.",
      },
    ],
    unknownDays: [],
    notes: [
      'Moved by art. 5 of the Law (computed, not listed): 8 March (Sat) to 10 March; 22-23 March (Sat, Sun) to 24-25 March; 6 July (Sun) to 7 July; 30 August (Sat) to 1 September; 25 October (Sat) to 27 October.',
      'No other transfer order for 2025 was found; the Ministry said it did not move 8 May (Informburo, 2025).',
    ],
  },
  {
    year: 2026,
    kurbanAit: {
      date: '2026-05-27',
      source: `${LABOUR_CODE_84_5}; ДУМК religious calendar for 2026 (published 6 November 2025) and the eGov holiday calendar for 2026 (Kazinform, 2 January 2026)`,
    },
    transfers: [],
    unknownDays: [],
    notes: [
      'No transfer order for 2026 was found: the eGov calendar for 2026 lists only the moves of art. 5 of the Law.',
      'Moved by art. 5 (computed): 8 March (Sun) to 9 March; 21-22 March (Sat, Sun) to 24-25 March; 9 May (Sat) to 11 May; 25 October (Sun) to 26 October.',
      '30 August 2026 is not a holiday (new Constitution; Ministry of Labour, March 2026), so Monday 31 August 2026 is a working day, unlike the eGov calendar published in January 2026.',
    ],
  },
  {
    year: 2027,
    kurbanAit: null,
    transfers: [],
    unknownDays: [
      {
        from: '2027-05-14',
        to: '2027-05-18',
        why: 'The first day of Kurban Ait 2027 (10 Dhu al-Hijjah 1448, expected about 16 May 2027) was not yet announced in the sources available on 2026-12-06.',
      },
    ],
    notes: [
      'PROVISIONAL. Holidays follow the Law and the 2026 Constitution (Constitution Day 15 March from 2027, none on 30 August).',
      'Moved by art. 5 (computed): 2 January (Sat) to 4 January; 21 March (Sun) to 24 March; 1 May (Sat) to 3 May; 9 May (Sun) to 10 May.',
      'No transfer order for 2027 was found as of 2026-12-06; one published later must be added here.',
      'Kurban Ait 2027 is unknown: weekdays from 14 to 18 May 2027 are refused until its date is added.',
    ],
  },
];
