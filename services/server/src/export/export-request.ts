import Ajv from 'ajv';
import { EXPORT_FORMATS, type ExportFormat } from '@meetnet/contracts';
import { parseSeriesQuery, type SeriesQuery, SeriesQueryError } from '../series/series-query';
import { schemaMessage } from '../validation/schema-problem';

export interface ExportRequest {
  query: SeriesQuery;
  format: ExportFormat;
  /** CSV: one row per value (time, sensor, field, value, unit), or one column per series. */
  layout: 'long' | 'wide';
  /** CSV: `semicolon` for Excel in a Belgian locale, which also writes decimal commas. */
  delimiter: 'comma' | 'semicolon';
  /** CSV: a UTF-8 byte-order mark, so Excel reads µg/m³ right. */
  bom: boolean;
  /** `field`: each value to its field's decimals (0.1 µg/m³, whole counts); `full`: as computed. */
  precision: 'field' | 'full';
}

interface ExportParams {
  format?: ExportFormat;
  layout?: 'long' | 'wide';
  delimiter?: 'comma' | 'semicolon';
  bom?: 'true' | 'false';
  precision?: 'field' | 'full';
}

const EXPORT_PARAMS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    format: { type: 'string', enum: [...EXPORT_FORMATS] },
    layout: { type: 'string', enum: ['long', 'wide'] },
    delimiter: { type: 'string', enum: ['comma', 'semicolon'] },
    bom: { type: 'string', enum: ['true', 'false'] },
    precision: { type: 'string', enum: ['field', 'full'] },
  },
} as const;

/** What GET /export accepts besides the series query. */
export const EXPORT_PARAMETERS = Object.keys(EXPORT_PARAMS_SCHEMA.properties);

const validate = new Ajv({ strict: true }).compile<ExportParams>(EXPORT_PARAMS_SCHEMA);

/** The series query plus how to write it; every refusal names its parameter. */
export function parseExportRequest(input: Record<string, unknown>): ExportRequest {
  const { format, layout, delimiter, bom, precision, ...series } = input;
  const params: unknown = Object.fromEntries(
    Object.entries({ format, layout, delimiter, bom, precision }).filter(([, v]) => v !== undefined),
  );
  if (!validate(params)) throw new SeriesQueryError(schemaMessage(validate.errors?.[0], 'export'));
  return {
    query: parseSeriesQuery(series),
    format: params.format ?? 'csv',
    layout: params.layout ?? 'long',
    delimiter: params.delimiter ?? 'comma',
    bom: params.bom === 'true',
    precision: params.precision ?? 'field',
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
