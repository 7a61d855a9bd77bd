/** Hour of day (fractional) and day of week in Brussels, where the daily patterns live. */
export interface LocalTime {
  hour: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Brussels',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function brusselsTime(epochMs: number): LocalTime {
  let hour = 0;
  let minute = 0;
  let weekday = 0;
  for (const part of formatter.formatToParts(epochMs)) {
    if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
    else if (part.type === 'weekday') weekday = WEEKDAYS.indexOf(part.value);
  }
  return { hour: hour + minute / 60, weekday };
}

export function isWeekend(time: LocalTime): boolean {
  return time.weekday === 0 || time.weekday === 6;
}
