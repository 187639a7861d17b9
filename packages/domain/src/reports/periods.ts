// Report periods (a day, an ISO week, a month) in a scope's own time zone. Indonesia's
// three zones have fixed offsets and no daylight saving, so a period's bounds are plain
// arithmetic on the offset; the instants are what the database compares.

export type Cadence = "day" | "week" | "month";

export const TIME_ZONES = {
  "Asia/Jakarta": { offsetHours: 7, abbreviation: "WIB" },
  "Asia/Makassar": { offsetHours: 8, abbreviation: "WITA" },
  "Asia/Jayapura": { offsetHours: 9, abbreviation: "WIT" },
} as const;
export type TimeZone = keyof typeof TIME_ZONES;

export function isTimeZone(value: string): value is TimeZone {
  return Object.hasOwn(TIME_ZONES, value);
}

export interface Period {
  cadence: Cadence;
  /** "2026-11-30", "2026-W48" or "2026-11". */
  key: string;
  timeZone: TimeZone;
  /** First instant of the period. */
  start: Date;
  /** First instant after the period. */
  end: Date;
  /** The local first and last day, "2026-11-01" … "2026-11-30". */
  firstDay: string;
  lastDay: string;
}

const DAY_MS = 86_400_000;

/** A local calendar day as a UTC-midnight Date, so date arithmetic ignores offsets. */
function localDay(instant: Date, timeZone: TimeZone): Date {
  const shifted = new Date(instant.getTime() + TIME_ZONES[timeZone].offsetHours * 3_600_000);
  return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()));
}

function startOfLocalDay(day: Date, timeZone: TimeZone): Date {
  return new Date(day.getTime() - TIME_ZONES[timeZone].offsetHours * 3_600_000);
}

const isoDay = (day: Date) => day.toISOString().slice(0, 10);

/** ISO 8601 week-numbering year and week of a (UTC-midnight) day. */
function isoWeek(day: Date): { year: number; week: number } {
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return { year, week };
}

function periodOf(
  cadence: Cadence,
  firstDay: Date,
  nextFirstDay: Date,
  key: string,
  timeZone: TimeZone,
): Period {
  return {
    cadence,
    key,
    timeZone,
    start: startOfLocalDay(firstDay, timeZone),
    end: startOfLocalDay(nextFirstDay, timeZone),
    firstDay: isoDay(firstDay),
    lastDay: isoDay(new Date(nextFirstDay.getTime() - DAY_MS)),
  };
}

/** The period of the given cadence that contains the instant, in the time zone. */
export function periodContaining(cadence: Cadence, instant: Date, timeZone: TimeZone): Period {
  const day = localDay(instant, timeZone);
  if (cadence === "day") {
    return periodOf("day", day, new Date(day.getTime() + DAY_MS), isoDay(day), timeZone);
  }
  if (cadence === "week") {
    const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
    const { year, week } = isoWeek(monday);
    const key = `${year}-W${String(week).padStart(2, "0")}`;
    return periodOf("week", monday, new Date(monday.getTime() + 7 * DAY_MS), key, timeZone);
  }
  const first = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));
  const next = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1));
  return periodOf("month", first, next, isoDay(first).slice(0, 7), timeZone);
}

/** The period before this one. */
export function previousPeriod(period: Period): Period {
  return periodContaining(period.cadence, new Date(period.start.getTime() - 1), period.timeZone);
}

/** Reads "2026-11-30", "2026-W48" or "2026-11" back into its period; undefined when malformed. */
export function parsePeriod(key: string, timeZone: TimeZone): Period | undefined {
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (match) {
    const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    if (isoDay(day) !== key) return undefined;
    return periodContaining("day", startOfLocalDay(day, timeZone), timeZone);
  }
  match = /^(\d{4})-W(\d{2})$/.exec(key);
  if (match) {
    const year = Number(match[1]);
    const jan4 = new Date(Date.UTC(year, 0, 4));
    const week1Monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY_MS);
    const monday = new Date(week1Monday.getTime() + (Number(match[2]) - 1) * 7 * DAY_MS);
    const period = periodContaining("week", startOfLocalDay(monday, timeZone), timeZone);
    return period.key === key ? period : undefined;
  }
  match = /^(\d{4})-(\d{2})$/.exec(key);
  if (match) {
    const month = Number(match[2]);
    if (month < 1 || month > 12) return undefined;
    const first = new Date(Date.UTC(Number(match[1]), month - 1, 1));
    // Date.UTC reads the years 0–99 as 1900–1999: only a key that comes back unchanged is one.
    const period = periodContaining("month", startOfLocalDay(first, timeZone), timeZone);
    return period.key === key ? period : undefined;
  }
  return undefined;
}

/**
 * The periods whose report is due at `now`: ended at least `delayHours` ago (so the
 * daily digest goes out at 06:00 the next morning, local time), and ended no longer than
 * `backfillDays` ago, so a host that was down catches up on what it missed, oldest first.
 */
export function duePeriods(
  cadence: Cadence,
  now: Date,
  timeZone: TimeZone,
  options: { delayHours: number; backfillDays: number },
): Period[] {
  const due: Period[] = [];
  const latestEnd = now.getTime() - options.delayHours * 3_600_000;
  const earliestEnd = now.getTime() - options.backfillDays * DAY_MS;
  let period = previousPeriod(periodContaining(cadence, now, timeZone));
  while (period.end.getTime() >= earliestEnd) {
    if (period.end.getTime() <= latestEnd) due.push(period);
    period = previousPeriod(period);
  }
  return due.reverse();
}
