import type { ExportFormat, SeriesAnswer, SeriesOut } from '@contracts/series';
import { getJson, request } from './http';

/** What the Explore view asks for: the same parameters as GET /series and /export. */
export interface ExploreQuery {
  sensors: string[];
  fields: string[];
  /** A date (local midnight), or empty for 24 hours before `to`. */
  from: string;
  /** A date (exclusive), or empty for now. */
  to: string;
  window: string;
  aggregate: string;
  tz: string;
}

export interface ExportOptions {
  format: ExportFormat;
  layout: 'long' | 'wide';
  delimiter: 'comma' | 'semicolon';
  bom: boolean;
}

export type SeriesResult = SeriesOut;

export function queryString(query: ExploreQuery, options?: ExportOptions): string {
  const params = new URLSearchParams();
  for (const sensor of query.sensors) params.append('sensor', sensor);
  for (const field of query.fields) params.append('field', field);
  // An empty date is left to the service, whose default is the last 24 hours.
  for (const key of ['from', 'to', 'window', 'aggregate', 'tz'] as const)
    if (query[key]) params.set(key, query[key]);
  if (options) {
    params.set('format', options.format);
    params.set('layout', options.layout);
    params.set('delimiter', options.delimiter);
    params.set('bom', String(options.bom));
  }
  return params.toString();
}

/** The series, and why the service stopped early when it read as much as one request may. */
export async function fetchSeriesResult(query: ExploreQuery, signal?: AbortSignal): Promise<SeriesAnswer> {
  return getJson<SeriesAnswer>(`/api/v1/series?${queryString(query)}`, signal);
}

export interface DownloadProgress {
  bytes: number;
}

/**
 * Streams the export, reporting bytes as they arrive, and hands the browser the finished file
 * under the name the service gave it. Abort the signal to cancel.
 */
export async function downloadExport(
  query: ExploreQuery,
  options: ExportOptions,
  onProgress: (progress: DownloadProgress) => void,
  signal: AbortSignal,
): Promise<{ fileName: string; bytes: number }> {
  const response = await request(`/api/v1/export?${queryString(query, options)}`, signal);
  if (!response.body) throw new Error('the export has no body');
  const fileName =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'meetnet-export';
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
    onProgress({ bytes });
  }
  const url = URL.createObjectURL(
    new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? '' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { fileName, bytes };
}
