import Ajv from 'ajv';
import { EXPORT_FORMATS, type ExportFormat } from '@meetnet/contracts';
import { parseSeriesQuery, type SeriesQuery, SeriesQueryError } from '../series/series-query';

export interface ExportRequest {
  query: SeriesQuery;
  format: ExportFormat;
  /** CSV: one row per value (time, sensor, field, value, unit), or one column per series. */
  layout: 'long' | 'wide';
  /** CSV: `semicolon` for Excel in a Belgian locale, which also writes decimal commas. */
  delimiter: 'comma' | 'semicolon';
  /** CSV: a UTF-8 byte-order mark, so Excel reads µg/m³ right. */
  bom: boolean;
}

interface ExportParams {
  format?: ExportFormat;
  layout?: 'long' | 'wide';
  delimiter?: 'comma' | 'semicolon';
  bom?: 'true' | 'false';
}

const validate = new Ajv({ strict: true }).compile<ExportParams>({
  type: 'object',
  additionalProperties: false,
  properties: {
    format: { type: 'string', enum: [...EXPORT_FORMATS] },
    layout: { type: 'string', enum: ['long', 'wide'] },
    delimiter: { type: 'string', enum: ['comma', 'semicolon'] },
    bom: { type: 'string', enum: ['true', 'false'] },
  },
});

/** The series query plus how to write it; every refusal names its parameter. */
export function parseExportRequest(input: Record<string, unknown>): ExportRequest {
  const { format, layout, delimiter, bom, ...series } = input;
  const params: unknown = Object.fromEntries(
    Object.entries({ format, layout, delimiter, bom }).filter(([, v]) => v !== undefined),
  );
  if (!validate(params)) {
    const error = validate.errors?.[0];
    const name = error?.instancePath.slice(1) || 'export';
    throw new SeriesQueryError(
      `${name}: must be one of ${((error?.params['allowedValues'] as string[] | undefined) ?? []).join(', ')}`,
    );
  }
  return {
    query: parseSeriesQuery(series),
    format: params.format ?? 'csv',
    layout: params.layout ?? 'long',
    delimiter: params.delimiter ?? 'comma',
    bom: params.bom === 'true',
  };
}

/** Says what is in it: meetnet_leuven-air-air-0001_no2_2026-03-01_2026-04-01_1h-mean_Europe-Brussels.csv */
export function exportFileName(request: ExportRequest, fromLocal: string, toLocal: string): string {
  const { query } = request;
  const sensors =
    query.sensors.length === 1
      ? `${query.sensors[0]!.city}-${query.sensors[0]!.domain}-${query.sensors[0]!.sensorId}`
      : `${query.sensors.length}-sensors`;
  const window = query.window === 'raw' ? 'raw' : `${query.window}-${query.aggregate}`;
  const name = [
    'meetnet',
    sensors,
    query.fields.join('-'),
    fromLocal.slice(0, 10),
    toLocal.slice(0, 10),
    window,
    query.zone.replace('/', '-'),
  ].join('_');
  const extension = request.format === 'csv' ? 'csv' : request.format === 'ndjson' ? 'ndjson' : 'json';
  return `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.${extension}`;
}
