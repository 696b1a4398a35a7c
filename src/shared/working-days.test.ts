/**
 * The working-day calendar of Kazakhstan on known dates (checked against the eGov calendars and
 * the Ministry of Labour's figures cited in working-days-data.ts), and its rules on small made-up years.
 */
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  centreDate,
  createWorkingCalendar,
  dayInfo,
  deadlineStatus,
  endOfDay,
  isWorkingDay,
  kzCalendar,
  WorkingDayError,
  workingDaysBetween,
  type WorkingDayErrorCode,
} from './working-days';
import { CALENDAR_YEARS, HOLIDAY_RULES, type CalendarYearData, type HolidayRule } from './working-days-data';

function codeOf(fn: () => unknown): WorkingDayErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (err) {
    if (err instanceof WorkingDayError) return err.code;
    throw err;
  }
}

const utc = (s: string): number => Date.parse(s);

function workingDaysIn(year: number, month: number): number {
  let n = 0;
  for (let d = 1; d <= 31; d++) {
    const date = `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).getUTCMonth() !== month - 1) continue;
    if (isWorkingDay(date)) n++;
  }
  return n;
}

describe('known days of 2025-2027', () => {
  it.each([
    ['2025-01-01', false, 'holiday'],
    ['2025-01-03', false, 'transfer_day_off'], // Friday made a day off by the Ministry's order
    ['2025-01-05', true, 'transfer_working_day'], // ... and Sunday 5 January worked instead
    ['2025-01-07', false, 'religious_day_off'], // Orthodox Christmas, Labour Code art. 84(5)
    ['2025-03-10', false, 'moved_day_off'], // 8 March was a Saturday
    ['2025-03-21', false, 'holiday'],
    ['2025-03-24', false, 'moved_day_off'], // Nauryz 22-23 March fell on Sat, Sun
    ['2025-03-25', false, 'moved_day_off'],
    ['2025-03-26', true, 'weekday'],
    ['2025-06-06', false, 'religious_day_off'], // Kurban Ait 2025
    ['2025-07-07', false, 'moved_day_off'], // Capital Day on Sunday
    ['2025-09-01', false, 'moved_day_off'], // Constitution Day 30 August 2025 on Saturday
    ['2025-10-27', false, 'moved_day_off'], // Republic Day on Saturday
    ['2025-12-16', false, 'holiday'],
    ['2025-12-17', true, 'weekday'], // 17 December is no longer a holiday (2022 law)
    ['2025-12-31', true, 'weekday'],
    ['2026-01-05', true, 'weekday'],
    ['2026-03-09', false, 'moved_day_off'], // 8 March 2026 was a Sunday
    ['2026-03-25', false, 'moved_day_off'],
    ['2026-05-11', false, 'moved_day_off'], // Victory Day on Saturday
    ['2026-05-27', false, 'religious_day_off'], // Kurban Ait 2026
    ['2026-08-31', true, 'weekday'], // 30 August is not Constitution Day any more
    ['2026-10-26', false, 'moved_day_off'],
    ['2027-01-04', false, 'moved_day_off'], // 2 January 2027 is a Saturday
    ['2027-03-15', false, 'holiday'], // Constitution Day from 2027
    ['2027-03-24', false, 'moved_day_off'], // Nauryz 21 March 2027 is a Sunday
    ['2027-08-30', true, 'weekday'],
  ] as const)('%s: working %s (%s)', (date, working, reason) => {
    expect(dayInfo(date)).toMatchObject({ date, working, reason });
  });

  it('a moved day says which holiday it is for, in Kazakh and Russian', () => {
    expect(dayInfo('2026-05-11').holiday).toEqual({ id: 'victory-day', name: { kk: 'Жеңіс күні', ru: 'День Победы', en: 'Victory Day' } });
  });

  it('religious days off are not moved: 7 January or Kurban Ait on a Saturday gives no Monday off', () => {
    // No data year has one on a weekend, so the rule is checked on a made-up 2034.
    const y2034 = createWorkingCalendar(HOLIDAY_RULES, [
      { year: 2034, kurbanAit: { date: '2034-06-03', source: 'test' }, transfers: [], unknownDays: [], notes: [] },
    ]);
    expect(new Date('2034-01-07T00:00:00Z').getUTCDay()).toBe(6);
    expect(new Date('2034-06-03T00:00:00Z').getUTCDay()).toBe(6);
    expect(y2034.dayInfo('2034-01-07').reason).toBe('religious_day_off');
    expect(y2034.isWorkingDay('2034-01-09')).toBe(true);
    expect(y2034.dayInfo('2034-06-03').reason).toBe('religious_day_off');
    expect(y2034.isWorkingDay('2034-06-05')).toBe(true);
  });

  it('working days per month match the Ministry of Labour figures quoted in the press', () => {
    expect(workingDaysIn(2025, 10)).toBe(22); // "9 выходных и 22 рабочих дня" (Zakon.kz, Oct 2025)
    expect(workingDaysIn(2025, 11)).toBe(20); // baq.kz, Nov 2025
    expect(workingDaysIn(2025, 12)).toBe(22); // aqshamnews.kz, Dec 2025
    expect(workingDaysIn(2026, 1)).toBe(19); // "19 рабочих дней" (alau.kz, Jan 2026)
  });
});

describe('deadlines: within N working days of X (X never counts)', () => {
  it('across Nauryz 2026: a procedure ended Friday 20 March, protocol within 2 working days (rule 17)', () => {
    expect(addWorkingDays('2026-03-20', 2)).toBe('2026-03-27'); // 21-25 March off, 26 is day 1
    expect(addWorkingDays('2026-03-20', 1)).toBe('2026-03-26');
  });

  it('across the 2025 transfer: Sunday 5 January 2025 was a working day', () => {
    expect(addWorkingDays('2025-01-02', 1)).toBe('2025-01-05');
    expect(addWorkingDays('2025-01-02', 2)).toBe('2025-01-06');
    expect(addWorkingDays('2025-01-02', 3)).toBe('2025-01-08'); // 7 January, Christmas
  });

  it('across New Year: 3 working days from Tuesday 30 December 2025', () => {
    expect(addWorkingDays('2025-12-30', 1)).toBe('2025-12-31');
    expect(addWorkingDays('2025-12-30', 3)).toBe('2026-01-06');
    expect(addWorkingDays('2025-12-30', 4)).toBe('2026-01-08');
  });

  it('a weekend holiday moved to Monday: 8 March 2025 (Saturday) makes Monday 10 March a day off', () => {
    expect(isWorkingDay('2025-03-10')).toBe(false);
    expect(addWorkingDays('2025-03-07', 1)).toBe('2025-03-11');
  });

  it('an appeal received on a day off: the first working day after it is day 1 (rule 20, 5 working days)', () => {
    expect(addWorkingDays('2025-03-08', 5)).toBe('2025-03-17');
  });

  it('an instant is taken in Almaty time (UTC+5): 23:30 on Tuesday counts from Tuesday, 00:30 from Wednesday', () => {
    expect(centreDate(utc('2025-06-03T18:30:00Z'))).toBe('2025-06-03');
    expect(centreDate(new Date('2025-06-03T19:30:00Z'))).toBe('2025-06-04');
    expect(addWorkingDays(utc('2025-06-03T18:30:00Z'), 1)).toBe('2025-06-04');
    expect(addWorkingDays(utc('2025-06-03T19:30:00Z'), 1)).toBe('2025-06-05');
    expect(addWorkingDays(utc('2025-06-03T19:30:00Z'), 2)).toBe('2025-06-09'); // Kurban Ait 6 June, weekend
  });

  it('workingDaysBetween counts (a, b] and undoes addWorkingDays', () => {
    expect(workingDaysBetween('2026-03-20', '2026-03-27')).toBe(2);
    expect(workingDaysBetween('2026-03-27', '2026-03-20')).toBe(-2);
    expect(workingDaysBetween('2026-03-20', '2026-03-20')).toBe(0);
    for (const [from, n] of [
      ['2025-01-02', 3],
      ['2025-12-30', 4],
      ['2027-03-19', 5],
      ['2025-06-05', 10],
    ] as const) {
      expect(workingDaysBetween(from, addWorkingDays(from, n))).toBe(n);
    }
  });

  it('a deadline is due all its day in Almaty and overdue from midnight', () => {
    expect(endOfDay('2025-06-04')).toBe(utc('2025-06-04T19:00:00Z'));
    expect(deadlineStatus('2025-06-04', utc('2025-06-03T18:59:59Z'))).toBe('pending');
    expect(deadlineStatus('2025-06-04', utc('2025-06-03T19:00:00Z'))).toBe('due_today');
    expect(deadlineStatus('2025-06-04', utc('2025-06-04T18:59:59.999Z'))).toBe('due_today');
    expect(deadlineStatus('2025-06-04', utc('2025-06-04T19:00:00Z'))).toBe('overdue');
    expect(deadlineStatus('2025-06-04', utc('2025-06-04T19:00:00Z'), 'UTC')).toBe('due_today');
  });
});

describe('what the calendar refuses to guess', () => {
  it('a year missing from the data is a typed error naming the year', () => {
    expect(codeOf(() => isWorkingDay('2024-12-31'))).toBe('year_not_in_calendar');
    expect(codeOf(() => isWorkingDay('2028-01-03'))).toBe('year_not_in_calendar');
    expect(() => isWorkingDay('2028-01-03')).toThrow(/no data for 2028/);
    expect(codeOf(() => addWorkingDays('2027-12-28', 5))).toBe('year_not_in_calendar');
    expect(codeOf(() => addWorkingDays('2024-12-30', 1))).toBe('year_not_in_calendar');
  });

  it('a weekday of 2027 that depends on the unannounced Kurban Ait date is refused, a weekend day is not', () => {
    expect(codeOf(() => isWorkingDay('2027-05-17'))).toBe('day_unverified');
    expect(codeOf(() => addWorkingDays('2027-05-12', 3))).toBe('day_unverified');
    expect(isWorkingDay('2027-05-16')).toBe(false); // Sunday: a day off whatever the date of Kurban Ait
    expect(addWorkingDays('2027-05-10', 3)).toBe('2027-05-13'); // stops before the unknown days
  });

  it('bad dates and counts', () => {
    expect(codeOf(() => isWorkingDay('2025-02-29'))).toBe('bad_date');
    expect(codeOf(() => isWorkingDay('2025-2-1'))).toBe('bad_date');
    expect(codeOf(() => isWorkingDay('2025-06-03T10:00:00Z'))).toBe('bad_date');
    expect(codeOf(() => addWorkingDays('2025-06-03', 0))).toBe('bad_count');
    expect(codeOf(() => addWorkingDays('2025-06-03', 1.5))).toBe('bad_count');
    expect(codeOf(() => addWorkingDays(Number.NaN, 1))).toBe('bad_date');
    expect(codeOf(() => deadlineStatus('2025-13-01', 0))).toBe('bad_date');
  });
});

describe('the rules on made-up years', () => {
  const year = (over: Partial<CalendarYearData> & { year: number }): CalendarYearData => ({
    kurbanAit: null,
    transfers: [],
    unknownDays: [],
    notes: [],
    ...over,
  });
  const rules: HolidayRule[] = [
    {
      id: 'nauryz',
      kind: 'public',
      days: [
        [3, 21],
        [3, 22],
        [3, 23],
      ],
      name: { kk: 'Н', ru: 'Н', en: 'N' },
      source: 'test',
    },
    { id: 'womens-day', kind: 'public', days: [[3, 25]], name: { kk: 'Ә', ru: 'Ж', en: 'W' }, source: 'test' },
  ];

  it('several weekend holidays each take the next free working day, in order, skipping other holidays', () => {
    // 2026: 21-22 March Sat-Sun, 23 Mon holiday; 25 March Wed a holiday too.
    const cal = createWorkingCalendar(rules, [year({ year: 2026 })]);
    expect(cal.dayInfo('2026-03-24').reason).toBe('moved_day_off');
    expect(cal.dayInfo('2026-03-25').reason).toBe('holiday');
    expect(cal.dayInfo('2026-03-26').reason).toBe('moved_day_off');
    expect(cal.isWorkingDay('2026-03-27')).toBe(true);
  });

  it('a move skips a transfer day off and lands on the next working day', () => {
    const cal = createWorkingCalendar(rules, [
      year({ year: 2026, transfers: [{ dayOff: '2026-03-24', workingDay: '2026-03-28', source: 'test' }] }),
    ]);
    expect(cal.dayInfo('2026-03-24').reason).toBe('transfer_day_off');
    expect(cal.dayInfo('2026-03-26').reason).toBe('moved_day_off');
    expect(cal.dayInfo('2026-03-27').reason).toBe('moved_day_off');
    expect(cal.dayInfo('2026-03-28')).toMatchObject({ working: true, reason: 'transfer_working_day' });
  });

  it('data that contradicts itself is refused when the calendar is built', () => {
    expect(
      codeOf(() =>
        createWorkingCalendar(rules, [year({ year: 2026, transfers: [{ dayOff: '2026-03-21', workingDay: '2026-03-29', source: 'x' }] })]),
      ),
    ).toBe('bad_data'); // a Saturday cannot be made a day off
    expect(
      codeOf(() =>
        createWorkingCalendar(rules, [year({ year: 2026, transfers: [{ dayOff: '2026-03-23', workingDay: '2026-03-29', source: 'x' }] })]),
      ),
    ).toBe('bad_data'); // already a holiday
    expect(codeOf(() => createWorkingCalendar(rules, [year({ year: 2026 }), year({ year: 2026 })]))).toBe('bad_data');
    expect(codeOf(() => createWorkingCalendar(rules, [year({ year: 2026, kurbanAit: { date: '2025-06-06', source: 'x' } })]))).toBe(
      'bad_data',
    );
    expect(
      codeOf(() => createWorkingCalendar(rules, [year({ year: 2026, unknownDays: [{ from: '2026-03-24', to: '2026-03-24', why: 'x' }] })])),
    ).toBe('bad_data'); // a move would land there
  });

  it('Kurban Ait on a holiday of the Law adds nothing and the weekend holiday still moves', () => {
    const cal = createWorkingCalendar(rules, [year({ year: 2026, kurbanAit: { date: '2026-03-22', source: 'x' } })]);
    expect(cal.dayInfo('2026-03-22').reason).toBe('holiday');
    expect(cal.dayInfo('2026-03-25').reason).toBe('holiday');
    expect(cal.dayInfo('2026-03-26').reason).toBe('moved_day_off');
  });
});

describe('the data', () => {
  it('covers 2025, 2026 and 2027, every transfer and Kurban Ait with a source', () => {
    expect(kzCalendar.years()).toEqual([2025, 2026, 2027]);
    for (const y of CALENDAR_YEARS) {
      for (const t of y.transfers) expect(t.source.length).toBeGreaterThan(20);
      if (y.kurbanAit) expect(y.kurbanAit.source.length).toBeGreaterThan(20);
      else expect(y.unknownDays.length, `${y.year} has no Kurban Ait and must say which days are unknown`).toBeGreaterThan(0);
    }
    for (const r of HOLIDAY_RULES) expect(r.source).toMatch(/Law|Code|Constitution/);
  });

  it('holiday names carry no Latin letters in Kazakh and Russian', () => {
    for (const r of HOLIDAY_RULES) {
      expect(r.name.kk).not.toMatch(/[A-Za-z]/);
      expect(r.name.ru).not.toMatch(/[A-Za-z]/);
    }
  });
});
