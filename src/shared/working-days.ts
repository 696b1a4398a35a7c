/**
 * Working days of the Republic of Kazakhstan, for the deadlines of rules 5, 6, 17, 18, 19 and
 * 20-22 ("within N working days"). Pure: the data is in working-days-data.ts, the clock is passed in.
 *
 * A day is a working day unless it is
 *  - a Saturday or Sunday (the five-day week; a centre on a six-day week is not modelled),
 *  - a holiday of the Law on holidays (art. 5: non-working),
 *  - a religious day off of the Labour Code art. 84(5) (7 January, first day of Kurban Ait),
 *  - the day off a weekend holiday moved to: "when a day off and a holiday coincide, the day off
 *    is the next working day after the holiday" (Law on holidays, art. 5). Only the Law's
 *    holidays move; the religious days off do not. Several weekend holidays in a row (Nauryz)
 *    each take the next free working day, in date order,
 *  - or a day the authorised body for labour made a day off (Labour Code art. 85(3)); the
 *    weekend day it made a working day in exchange is a working day.
 *
 * Counting ("within N working days of X"): day X itself never counts, whatever the hour; the
 * period runs from the next day, as periods do in Kazakh civil law. The deadline is the N-th
 * working day after X and lasts to the end of that day in the centre's time zone. X may itself be
 * a day off (an appeal received on a Saturday): the first working day after it is day 1.
 * An instant (a timestamp) becomes a date in the centre's time zone first, so an exam ended at
 * 23:30 in Almaty on Tuesday counts from Tuesday, one ended at 00:30 counts from Wednesday.
 * Kazakhstan has one time zone, UTC+5, since 1 March 2024 (Asia/Almaty in tzdata 2024a+).
 *
 * A date in a year the data does not hold, or a weekday whose status depends on an unverified
 * fact (Kurban Ait of a year ahead), is a WorkingDayError with a code: never a guess.
 */
import {
  CALENDAR_YEARS,
  HOLIDAY_RULES,
  KURBAN_AIT_NAME,
  type CalendarYearData,
  type HolidayId,
  type HolidayRule,
} from './working-days-data';
import type { LocalisedText } from './programme';

export const CENTRE_TIME_ZONE = 'Asia/Almaty';

export type WorkingDayErrorCode =
  | 'year_not_in_calendar' // the data has no such year
  | 'day_unverified' // the data says this day's status is not yet known
  | 'bad_date' // not a real YYYY-MM-DD date
  | 'bad_count' // a count of working days that is not a whole number from 1
  | 'bad_data'; // the calendar data contradicts itself (found when it is built)

export class WorkingDayError extends Error {
  override readonly name = 'WorkingDayError';
  constructor(
    readonly code: WorkingDayErrorCode,
    message: string,
    readonly date?: string,
  ) {
    super(message);
  }
}

export type DayReason =
  | 'weekday'
  | 'weekend'
  | 'holiday' // a holiday of the Law on holidays
  | 'religious_day_off' // Labour Code art. 84(5)
  | 'moved_day_off' // the day a weekend holiday moved to (Law on holidays, art. 5)
  | 'transfer_day_off' // made a day off by an order (Labour Code art. 85(3))
  | 'transfer_working_day'; // a weekend day made a working day by the same order

export interface DayInfo {
  date: string;
  working: boolean;
  reason: DayReason;
  /** The holiday behind a holiday, religious or moved day off. */
  holiday?: { id: HolidayId; name: LocalisedText };
  /** The source of a holiday or transfer. */
  source?: string;
}

/** An instant: milliseconds since the epoch, or a Date. A string is always a calendar date. */
export type Instant = number | Date;

export type DeadlineStatus = 'pending' | 'due_today' | 'overdue';

export interface WorkingCalendar {
  years(): number[];
  dayInfo(date: string): DayInfo;
  isWorkingDay(date: string): boolean;
  /** The N-th working day after `from` (a date, or an instant turned into the centre's date). */
  addWorkingDays(from: string | Instant, n: number, timeZone?: string): string;
  /** Working days d with a < d <= b; negative when b is before a. addWorkingDays(a, n) = b gives n. */
  workingDaysBetween(a: string, b: string): number;
}

// ---- Calendar dates as UTC midnights (no time zone enters date arithmetic) ----

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new WorkingDayError('bad_date', `not a YYYY-MM-DD date: ${JSON.stringify(date)}`, date);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new WorkingDayError('bad_date', `no such day: ${date}`, date);
  }
  return ms;
}

function toDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isWeekend(ms: number): boolean {
  const wd = new Date(ms).getUTCDay();
  return wd === 0 || wd === 6;
}

function iso(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Builds a calendar from data; the module's functions below use the published data. */
export function createWorkingCalendar(rules: readonly HolidayRule[], years: readonly CalendarYearData[]): WorkingCalendar {
  const known = new Map(years.map((y) => [y.year, y]));
  if (known.size !== years.length) throw new WorkingDayError('bad_data', 'a year is listed twice');
  /** Every day that is not what its weekday says, across all years. */
  const exceptions = new Map<string, DayInfo>();

  const set = (info: DayInfo): void => {
    const before = exceptions.get(info.date);
    if (before) throw new WorkingDayError('bad_data', `${info.date} is both ${before.reason} and ${info.reason}`, info.date);
    exceptions.set(info.date, info);
  };
  const workingBase = (ms: number): boolean => {
    const e = exceptions.get(toDate(ms));
    return e ? e.working : !isWeekend(ms);
  };

  for (const data of [...years].sort((a, b) => a.year - b.year)) {
    const y = data.year;
    const inYear = (date: string): void => {
      parseDate(date);
      if (Number(date.slice(0, 4)) !== y) throw new WorkingDayError('bad_data', `${date} is listed under ${y}`, date);
    };
    for (const t of data.transfers) {
      inYear(t.dayOff);
      inYear(t.workingDay);
      if (isWeekend(parseDate(t.dayOff)))
        throw new WorkingDayError('bad_data', `transfer day off ${t.dayOff} is already a weekend day`, t.dayOff);
      if (!isWeekend(parseDate(t.workingDay)))
        throw new WorkingDayError('bad_data', `transfer working day ${t.workingDay} is already a weekday`, t.workingDay);
      set({ date: t.dayOff, working: false, reason: 'transfer_day_off', source: t.source });
      set({ date: t.workingDay, working: true, reason: 'transfer_working_day', source: t.source });
    }
    const publicDays: Array<{ date: string; rule: HolidayRule }> = [];
    for (const rule of rules) {
      if ((rule.firstYear !== undefined && y < rule.firstYear) || (rule.lastYear !== undefined && y > rule.lastYear)) continue;
      for (const [month, day] of rule.days) {
        const date = iso(y, month, day);
        parseDate(date);
        const holiday = { id: rule.id, name: rule.name };
        set({ date, working: false, reason: rule.kind === 'public' ? 'holiday' : 'religious_day_off', holiday, source: rule.source });
        if (rule.kind === 'public') publicDays.push({ date, rule });
      }
    }
    // Kurban Ait on a holiday of the Law (it wanders through the solar year) adds nothing: the day
    // is already non-working and, on a weekend, the holiday moves as the Law says.
    if (data.kurbanAit && exceptions.get(data.kurbanAit.date)?.reason !== 'holiday') {
      inYear(data.kurbanAit.date);
      set({
        date: data.kurbanAit.date,
        working: false,
        reason: 'religious_day_off',
        holiday: { id: 'kurban-ait', name: KURBAN_AIT_NAME },
        source: data.kurbanAit.source,
      });
    }
    for (const u of data.unknownDays) {
      inYear(u.from);
      inYear(u.to);
      if (u.from > u.to) throw new WorkingDayError('bad_data', `unknown range ${u.from}..${u.to} is backwards`, u.from);
    }
    // Law on holidays, art. 5: each weekend holiday, in date order, moves to the next working day.
    publicDays.sort((a, b) => (a.date < b.date ? -1 : 1));
    for (const { date, rule } of publicDays) {
      const ms = parseDate(date);
      if (!isWeekend(ms)) continue;
      let next = ms + DAY_MS;
      while (!workingBase(next)) next += DAY_MS;
      const target = toDate(next);
      const unknown = data.unknownDays.find((u) => u.from <= target && target <= u.to);
      if (unknown)
        throw new WorkingDayError('bad_data', `${rule.id} ${date} moves to ${target}, a day not yet known (${unknown.why})`, target);
      set({
        date: target,
        working: false,
        reason: 'moved_day_off',
        holiday: { id: rule.id, name: rule.name },
        source: 'Law No. 267-II "On holidays in the Republic of Kazakhstan", art. 5',
      });
    }
  }

  const dayInfo = (date: string): DayInfo => {
    const ms = parseDate(date);
    const year = Number(date.slice(0, 4));
    const data = known.get(year);
    if (!data) {
      throw new WorkingDayError(
        'year_not_in_calendar',
        `the working-day calendar has no data for ${year} (it has ${[...known.keys()].join(', ')}); add the year to working-days-data.ts`,
        date,
      );
    }
    const exception = exceptions.get(date);
    if (exception) return exception;
    if (isWeekend(ms)) return { date, working: false, reason: 'weekend' };
    const unknown = data.unknownDays.find((u) => u.from <= date && date <= u.to);
    if (unknown) throw new WorkingDayError('day_unverified', `whether ${date} is a working day is not yet known: ${unknown.why}`, date);
    return { date, working: true, reason: 'weekday' };
  };
  const isWorkingDay = (date: string): boolean => dayInfo(date).working;

  const addWorkingDays = (from: string | Instant, n: number, timeZone = CENTRE_TIME_ZONE): string => {
    if (!Number.isInteger(n) || n < 1 || n > 366)
      throw new WorkingDayError('bad_count', `a deadline needs a whole number of working days from 1 to 366, got ${n}`);
    const start = typeof from === 'string' ? from : centreDate(from, timeZone);
    let ms = parseDate(start);
    for (let counted = 0; counted < n;) {
      ms += DAY_MS;
      if (isWorkingDay(toDate(ms))) counted++;
    }
    return toDate(ms);
  };

  const workingDaysBetween = (a: string, b: string): number => {
    const [from, to] = [parseDate(a), parseDate(b)];
    if (to < from) return -workingDaysBetween(b, a);
    let count = 0;
    for (let ms = from + DAY_MS; ms <= to; ms += DAY_MS) if (isWorkingDay(toDate(ms))) count++;
    return count;
  };

  return { years: () => [...known.keys()].sort(), dayInfo, isWorkingDay, addWorkingDays, workingDaysBetween };
}

// ---- Instants and the centre's day ----

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(ms: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return { y: Number(p.year), mo: Number(p.month), d: Number(p.day), h: Number(p.hour), mi: Number(p.minute), s: Number(p.second) };
}

/** The calendar date (YYYY-MM-DD) an instant falls on in the centre's time zone. */
export function centreDate(instant: Instant, timeZone = CENTRE_TIME_ZONE): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new WorkingDayError('bad_date', `not an instant: ${String(instant)}`);
  const p = partsIn(ms, timeZone);
  return iso(p.y, p.mo, p.d);
}

/** The instant a calendar date ends in the time zone (the start of the next day): a deadline's close. */
export function endOfDay(date: string, timeZone = CENTRE_TIME_ZONE): number {
  const nextMidnightUtc = parseDate(date) + DAY_MS;
  // The zone's offset at that moment, read back from Intl (no DST in Kazakhstan, but stay correct elsewhere).
  let guess = nextMidnightUtc;
  for (let i = 0; i < 3; i++) {
    const p = partsIn(guess, timeZone);
    const offset = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - guess;
    const next = nextMidnightUtc - offset;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

/**
 * Where a deadline stands: `pending` before its day, `due_today` on it (until midnight in the
 * centre), `overdue` after. Needs no calendar data: the due date was already computed from it.
 */
export function deadlineStatus(due: string, now: Instant, timeZone = CENTRE_TIME_ZONE): DeadlineStatus {
  parseDate(due);
  const today = centreDate(now, timeZone);
  return today < due ? 'pending' : today === due ? 'due_today' : 'overdue';
}

// ---- The published calendar ----

/** The calendar of working-days-data.ts. Built once, when this module loads (bad data throws then). */
export const kzCalendar: WorkingCalendar = createWorkingCalendar(HOLIDAY_RULES, CALENDAR_YEARS);

export const isWorkingDay = (date: string): boolean => kzCalendar.isWorkingDay(date);
export const dayInfo = (date: string): DayInfo => kzCalendar.dayInfo(date);
export const addWorkingDays = (from: string | Instant, n: number, timeZone?: string): string =>
  kzCalendar.addWorkingDays(from, n, timeZone);
export const workingDaysBetween = (a: string, b: string): number => kzCalendar.workingDaysBetween(a, b);
