import { AlertsController } from './alerts/alerts.controller';
import { EPISODES_QUERY_PARAMETERS } from './alerts/episodes-query';
import { ExportController } from './export/export.controller';
import { EXPORT_PARAMETERS } from './export/export-request';
import { HealthController } from './health/health.controller';
import { HEALTH_QUERY_PARAMETERS } from './health/health-query';
import { SensorsController } from './sensors/sensors.controller';
import { CHART_QUERY_PARAMETERS } from './sensors/sensor-chart-query';
import { SeriesController } from './series/series.controller';
import { SERIES_QUERY_PARAMETERS } from './series/series-query';

/** @nestjs/swagger's DECORATORS.API_PARAMETERS, which its package does not export. */
const API_PARAMETERS = 'swagger/apiParameters';

/** Every route that reads a query string, and what its parser accepts. */
const ROUTES: Array<[string, object, string, string[]]> = [
  ['GET /series', SeriesController.prototype, 'series', SERIES_QUERY_PARAMETERS],
  ['GET /export', ExportController.prototype, 'export', [...SERIES_QUERY_PARAMETERS, ...EXPORT_PARAMETERS]],
  [
    'GET /export/meta',
    ExportController.prototype,
    'meta',
    [...SERIES_QUERY_PARAMETERS, ...EXPORT_PARAMETERS],
  ],
  ['GET /sensors/…/series', SensorsController.prototype, 'seriesOf', CHART_QUERY_PARAMETERS],
  ['GET /health/sensors', HealthController.prototype, 'list', HEALTH_QUERY_PARAMETERS],
  ['GET /alerts/episodes', AlertsController.prototype, 'list', EPISODES_QUERY_PARAMETERS],
];

describe('the OpenAPI document', () => {
  it.each(ROUTES)('lists exactly what %s accepts in its query', (_route, prototype, method, accepted) => {
    const handler = (prototype as Record<string, unknown>)[method] as object;
    const documented = (
      (Reflect.getMetadata(API_PARAMETERS, handler) ?? []) as Array<{ in: string; name: string }>
    )
      .filter((parameter) => parameter.in === 'query')
      .map((parameter) => parameter.name);
    expect([...documented].sort()).toEqual([...accepted].sort());
  });
});
