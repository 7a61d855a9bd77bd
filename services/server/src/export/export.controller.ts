import {
  applyDecorators,
  BadRequestException,
  Controller,
  Get,
  Inject,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EXPORT_FORMATS, EXPORT_ROLES, sensorKey } from '@meetnet/contracts';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { Roles } from '../auth/access-policy';
import { RateLimited } from '../auth/rate-limits';
import { ROOT_LOGGER } from '../logging/logging.module';
import { SensorRegistry } from '../sensors/sensor-registry.service';
import { asBadRequest, RowLimitReached } from '../series/query-cost';
import { HeavyQuery } from '../series/query-slots';
import { SeriesQueryError } from '../series/series-query';
import { ApiSeriesQuery } from '../series/series-query.docs';
import { SeriesService } from '../series/series.service';
import { isoInZone } from '../series/series-windows';
import { type ExportRequest, exportFileName, parseExportRequest } from './export-request';
import { writeExport } from './export-writer';
import { roundedBatches } from './value-precision';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;

/** The export's query in the OpenAPI document: the series query and how to write the file. */
const ApiExportQuery = () =>
  applyDecorators(
    ApiSeriesQuery(),
    ApiQuery({ name: 'format', required: false, enum: EXPORT_FORMATS }),
    ApiQuery({ name: 'layout', required: false, enum: ['long', 'wide'] }),
    ApiQuery({ name: 'delimiter', required: false, enum: ['comma', 'semicolon'] }),
    ApiQuery({ name: 'bom', required: false, enum: ['true', 'false'] }),
    ApiQuery({
      name: 'precision',
      required: false,
      enum: ['field', 'full'],
      description: "field (default): each value to its field's decimals; full: as computed",
    }),
  );

@ApiTags('export')
@Controller('export')
@Roles(...EXPORT_ROLES)
export class ExportController {
  private readonly logger: Logger;

  constructor(
    private readonly series: SeriesService,
    private readonly registry: SensorRegistry,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: ExportController.name });
  }

  @Get()
  @RateLimited('export')
  @UseInterceptors(HeavyQuery)
  @ApiOperation({
    summary: 'The series query, streamed as a file: CSV (long or wide), NDJSON or JSON',
    description:
      'Same parameters as GET /series. Rows stream from InfluxDB to the client; memory stays flat.',
  })
  @ApiExportQuery()
  @ApiProduces(...Object.values(CONTENT_TYPES))
  async export(
    @Query() input: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const exportRequest = this.parse(input);
    const { query } = exportRequest;
    const plan = await this.series.plan(query).catch(asBadRequest);
    const name = exportFileName(
      exportRequest,
      isoInZone(query.from.getTime(), query.zone),
      isoInZone(query.to.getTime(), query.zone),
    );
    response.status(200);
    response.setHeader('Content-Type', CONTENT_TYPES[exportRequest.format]);
    response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Meetnet-Tiers', plan.tiers.join(','));
    const started = Date.now();
    try {
      const rows = await writeExport(
        exportRequest,
        this.series.keys(query),
        (series) => {
          const batches = this.series.batches(series, query, plan);
          return exportRequest.precision === 'full' ? batches : roundedBatches(batches, series.decimals);
        },
        response,
      );
      this.logger.info(
        { file: name, rows, ms: Date.now() - started, aborted: request.destroyed },
        'export sent',
      );
    } catch (error) {
      // Headers are gone: all that is left is to cut the file short, visibly.
      if (error instanceof RowLimitReached) {
        this.logger.warn({ file: name, rows: plan.budget.rowsRead }, 'export cut at its row budget');
      } else this.logger.error({ err: error, file: name }, 'export failed midway');
      response.destroy(error as Error);
      return;
    }
    response.end();
  }

  @Get('meta')
  // It reads the first chunk of every series: as heavy as an export to start.
  @UseInterceptors(HeavyQuery)
  @ApiExportQuery()
  @ApiOperation({
    summary:
      'The side file of an export: units, what is known of each sensor, and which series hold no data in the range',
  })
  async meta(@Query() input: Record<string, unknown>): Promise<{
    query: Record<string, unknown>;
    /** Set when not one series has a value in the range: the export would be its header only. */
    note?: string;
    sensors: Array<{
      sensor: string;
      name?: string;
      lat?: number;
      lon?: number;
      fields: Record<string, string>;
      /** Fields of this sensor without a single value in the range. */
      withoutData: string[];
    }>;
  }> {
    const { query } = this.parse(input);
    const plan = await this.series.plan(query).catch(asBadRequest);
    const known = new Map(this.registry.all().map((s) => [s.key, s]));
    const keys = this.series.keys(query);
    const empty = new Set<string>();
    for (const series of keys) {
      // The first batch answers the question; leaving the loop ends InfluxDB's query.
      let found = false;
      for await (const _batch of this.series.batches(series, query, plan)) {
        found = true;
        break;
      }
      if (!found) empty.add(`${series.key}|${series.field}`);
    }
    return {
      ...(empty.size === keys.length
        ? { note: 'No data in this range for these sensors and fields: the export holds its header only.' }
        : {}),
      query: {
        from: isoInZone(query.from.getTime(), query.zone),
        to: isoInZone(query.to.getTime(), query.zone),
        window: query.window,
        aggregate: query.aggregate,
        tz: query.zone,
      },
      sensors: query.sensors.map((sensor) => {
        const key = sensorKey(sensor);
        const latest = known.get(key);
        return {
          sensor: key,
          name: latest?.name,
          lat: latest?.lat,
          lon: latest?.lon,
          fields: Object.fromEntries(keys.filter((k) => k.key === key).map((k) => [k.field, k.unit])),
          withoutData: keys
            .filter((k) => k.key === key && empty.has(`${key}|${k.field}`))
            .map((k) => k.field),
        };
      }),
    };
  }

  private parse(input: Record<string, unknown>): ExportRequest {
    return this.refusedAsBadRequest(() => parseExportRequest(input));
  }

  private refusedAsBadRequest<T>(check: () => T): T {
    try {
      return check();
    } catch (error) {
      if (error instanceof SeriesQueryError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
