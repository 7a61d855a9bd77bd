import { Controller, Get, Inject, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SERIES_LIMITS, WATCH_ROLES } from '@meetnet/contracts';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { Roles } from '../auth/access-policy';
import { ROOT_LOGGER } from '../logging/logging.module';
import { HeavyQuery } from './query-slots';
import { asBadRequest } from './query-cost';
import { parseSeriesQuery, type SeriesQuery } from './series-query';
import { ApiSeriesQuery } from './series-query.docs';
import { SeriesService } from './series.service';
import { writeSeriesJson } from './series-json-writer';
import { isoInZone } from './series-windows';

@ApiTags('series')
@Controller('series')
@Roles(...WATCH_ROLES)
export class SeriesController {
  private readonly logger: Logger;

  constructor(
    private readonly service: SeriesService,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: SeriesController.name });
  }

  @Get()
  @UseInterceptors(HeavyQuery)
  @ApiOperation({
    summary: 'Series of one or more sensors and fields, per window, in Brussels time or UTC',
    description: `Calendar windows (1d, 1w, 1mo) start at local midnight. Limits: ${SERIES_LIMITS.sensors} sensors, ${SERIES_LIMITS.fields} fields, ${SERIES_LIMITS.rangeDays} days (${SERIES_LIMITS.rawRangeDays} of raw data), ${SERIES_LIMITS.points} points, and the raw rows a request makes InfluxDB read (API_QUERY_MAX_ROWS, estimated from each sensor's declared interval; an answer that reads past it ends early with \`truncated\`).`,
  })
  @ApiSeriesQuery()
  @ApiOkResponse({
    description:
      '{ from, to, window, aggregate, tz, tiers, series: [{ sensor, field, unit, points: [{ t, v }] }], truncated? }; `tiers` (also the X-Meetnet-Tiers header) says what was read: `daily` or `hourly` rollups, `raw` readings',
  })
  async series(@Query() input: Record<string, unknown>, @Res() response: Response): Promise<void> {
    let query: SeriesQuery;
    try {
      query = parseSeriesQuery(input);
    } catch (error) {
      asBadRequest(error);
    }
    const plan = await this.service.plan(query).catch(asBadRequest);
    response.status(200);
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    const head = {
      from: isoInZone(query.from.getTime(), query.zone),
      to: isoInZone(query.to.getTime(), query.zone),
      window: query.window,
      aggregate: query.aggregate,
      tz: query.zone,
      tiers: plan.tiers,
    };
    response.setHeader('X-Meetnet-Tiers', plan.tiers.join(','));
    try {
      const written = await writeSeriesJson(
        head,
        this.service.keys(query),
        (series) => this.service.batches(series, query, plan),
        response,
      );
      if (written.truncated) {
        this.logger.warn(
          { rows: plan.budget.rowsRead, points: written.points },
          'series cut at its row budget',
        );
      }
    } catch (error) {
      if (!response.headersSent) throw error;
      // Headers are gone: the answer is cut short, which no client takes for valid JSON.
      this.logger.error({ err: error }, 'series failed midway');
      response.destroy(error as Error);
      return;
    }
    response.end();
  }
}
