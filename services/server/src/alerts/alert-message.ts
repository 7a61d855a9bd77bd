import type { AlertEvent, AlertEventType } from '@meetnet/contracts';

const NUMBER = new Intl.NumberFormat('nl-BE', { maximumFractionDigits: 1 });
const PERCENT = new Intl.NumberFormat('nl-BE', { style: 'percent', maximumFractionDigits: 0 });
const WHEN = new Intl.DateTimeFormat('nl-BE', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/Brussels',
});

const VERB: Record<AlertEventType, string> = {
  opened: 'Nieuwe melding',
  closed: 'Melding voorbij',
  acknowledged: 'Melding bevestigd',
};

const valueOf = (value: number, unit: string) => `${NUMBER.format(value)}${unit ? ` ${unit}` : ''}`;

/** The subject of one message: the event itself, or how many a digest holds. */
export function messageSubject(events: readonly AlertEvent[]): string {
  if (events.length === 1) {
    const [{ type, episode }] = events as [AlertEvent];
    return `[Meetnet] ${VERB[type]}: ${episode.ruleName} (${episode.key})`;
  }
  return `[Meetnet] ${events.length} meldingen`;
}

/** Plain Dutch text, one block per event, for mail clients and chat webhooks alike. */
export function messageText(events: readonly AlertEvent[], dashboardUrl?: string): string {
  const blocks = events.map(({ type, episode }) =>
    [
      `${VERB[type]}: ${episode.ruleName}`,
      `Sensor: ${episode.key}`,
      `Begonnen: ${WHEN.format(episode.start)}`,
      ...(episode.end === undefined ? [] : [`Afgelopen: ${WHEN.format(episode.end)}`]),
      `Hoogste waarde: ${valueOf(episode.peak, episode.unit)} (grens ${valueOf(episode.threshold, episode.unit)})`,
      `Gegevens beschikbaar: ${PERCENT.format(episode.coverage)} van de periode`,
      ...(episode.acknowledgedBy ? [`Bevestigd door: ${episode.acknowledgedBy}`] : []),
    ].join('\n'),
  );
  const link = dashboardUrl ? [`Bekijk en bevestig: ${dashboardUrl.replace(/\/$/, '')}/#/meldingen`] : [];
  return [...blocks, ...link, 'Dit bericht komt van Meetnet.'].join('\n\n');
}
