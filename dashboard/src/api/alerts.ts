import { type AlertEpisode, type AlertRule, alertRuleInput } from '@contracts/alerts';
import { getJson, request } from './http';

export async function fetchOpenEpisodes(signal?: AbortSignal): Promise<AlertEpisode[]> {
  return (await getJson<{ episodes: AlertEpisode[] }>('/api/v1/alerts/episodes?state=open', signal)).episodes;
}

export async function fetchEpisodeHistory(signal?: AbortSignal): Promise<AlertEpisode[]> {
  return (await getJson<{ episodes: AlertEpisode[] }>('/api/v1/alerts/episodes?state=all', signal)).episodes;
}

export const EPISODES_CSV_URL = '/api/v1/alerts/episodes?state=all&format=csv';

export function fetchAlertRules(signal?: AbortSignal): Promise<AlertRule[]> {
  return getJson('/api/v1/alerts/rules', signal);
}

export async function episodeAction(id: string, action: 'acknowledge' | 'resolve'): Promise<AlertEpisode> {
  const response = await request(`/api/v1/alerts/episodes/${encodeURIComponent(id)}/${action}`, undefined, {
    method: 'POST',
  });
  return (await response.json()) as AlertEpisode;
}

/** Switches a rule on or off: the rule as it is, with `enabled` changed (its version goes up). */
export async function setRuleEnabled(rule: AlertRule, enabled: boolean): Promise<AlertRule> {
  const response = await request(`/api/v1/alerts/rules/${encodeURIComponent(rule.id)}`, undefined, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...alertRuleInput(rule), enabled }),
  });
  return (await response.json()) as AlertRule;
}
