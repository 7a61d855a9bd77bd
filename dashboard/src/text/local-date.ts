/**
 * Dates as people here type and read them: 30/11/2026 in Dutch (Belgium), and the ISO form
 * (2026-11-30) in the URL and the API. Chromium's own date input follows the browser's
 * language, not the page's, so a Dutch page in an English browser showed 11/30/2026.
 */
export function showDate(iso: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return '';
  const [, year, month, day] = match;
  return locale === 'en' ? iso : `${day}/${month}/${year}`;
}

/** 30/11/2026, 30-11-2026, 30.11.2026 or 2026-11-30 → 2026-11-30; anything else, or no such day → undefined. */
export function parseDate(text: string): string | undefined {
  const trimmed = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  const local = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : local
      ? [Number(local[3]), Number(local[2]), Number(local[1])]
      : [];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return date.toISOString().slice(0, 10);
}
