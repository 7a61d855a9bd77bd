import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  SERIES_AGGREGATES,
  SERIES_LIMITS,
  SERIES_WINDOW_NAMES,
  SERIES_ZONES,
  type SeriesOut,
  WATCH_ROLES,
} from '@meetnet/contracts';
import { Roles } from '../auth/access-policy';
import { parseSeriesQuery, SeriesQueryError } from './series-query';
import { SeriesService } from './series.service';
import { isoInZone } from './series-windows';

@ApiTags('series')
@Controller('series')
@Roles(...WATCH_ROLES)
export class SeriesController {
  constructor(private readonly service: SeriesService) {}

  @Get()
  @ApiOperation({
    summary: 'Series of one or more sensors and fields, per window, in Brussels time or UTC',
    description: `Calendar windows (1d, 1w, 1mo) start at local midnight. Limits: ${SERIES_LIMITS.sensors} sensors, ${SERIES_LIMITS.fields} fields, ${SERIES_LIMITS.rangeDays} days (${SERIES_LIMITS.rawRangeDays} of raw data), ${SERIES_LIMITS.points} points.`,
  })
  @ApiQuery({ name: 'sensor', isArray: true, example: 'leuven/air/air-0001' })
  @ApiQuery({ name: 'field', isArray: true, example: 'no2' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601; a bare date is local midnight' })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'window', required: false, enum: SERIES_WINDOW_NAMES })
  @ApiQuery({ name: 'aggregate', required: false, enum: SERIES_AGGREGATES })
  @ApiQuery({ name: 'tz', required: false, enum: SERIES_ZONES })
  async series(@Query() input: Record<string, unknown>): Promise<{
    from: string;
    to: string;
    window: string;
    aggregate: string;
    tz: string;
    series: SeriesOut[];
  }> {
    let query;
    try {
      query = parseSeriesQuery(input);
    } catch (error) {
      if (error instanceof SeriesQueryError) throw new BadRequestException(error.message);
      throw error;
    }
    return {
      from: isoInZone(query.from.getTime(), query.zone),
      to: isoInZone(query.to.getTime(), query.zone),
      window: query.window,
      aggregate: query.aggregate,
      tz: query.zone,
      series: await this.service.series(query),
    };
  }
}
