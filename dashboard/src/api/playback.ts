import type { Domain } from '@contracts/domains';
import type { PlaybackAnswer } from '@contracts/series';
import { getJson } from './http';

/** A past Brussels day of the layers, hour by hour (the view's box for a large fleet). */
export function fetchPlayback(
  layers: readonly Domain[],
  date: string,
  bbox: readonly number[] | null,
  signal?: AbortSignal,
): Promise<PlaybackAnswer> {
  const query = new URLSearchParams({ layers: layers.join(','), date });
  if (bbox) query.set('bbox', bbox.join(','));
  return getJson<PlaybackAnswer>(`/api/v1/playback?${query}`, signal);
}
