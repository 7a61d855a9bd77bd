import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  CITY_PATTERN,
  DOMAINS,
  isDomain,
  SENSOR_ID_PATTERN,
  type SensorLatest,
  WATCH_ROLES,
} from '@meetnet/contracts';
import { Roles } from '../auth/access-policy';
import { HeavyQuery } from '../series/query-slots';
import { type SeriesQuery, SeriesQueryError } from '../series/series-query';
import { type SeriesPoint, SeriesService } from '../series/series.service';
import { SensorRegistry } from './sensor-registry.service';
import { parseSeriesQuery, SERIES_WINDOWS, type SeriesQueryInput } from './series-query';

export interface SensorFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Omit<SensorLatest, 'lat' | 'lon'>;
}

@ApiTags('sensors')
@Controller('sensors')
@Roles(...WATCH_ROLES)
export class SensorsController {
  constructor(
    private readonly registry: SensorRegistry,
    private readonly series: SeriesService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every located sensor as GeoJSON, with its latest values and last-seen time' })
  @ApiOkResponse({ description: 'GeoJSON FeatureCollection of Point features' })
  list(): { type: 'FeatureCollection'; features: SensorFeature[] } {
    const features = this.registry
      .all()
      .filter((s) => s.lat !== undefined && s.lon !== undefined)
      .map(({ lat, lon, ...properties }) => ({
        type: 'Feature' as const,
        id: properties.key,
        geometry: { type: 'Point' as const, coordinates: [lon!, lat!] as [number, number] },
        properties,
      }));
    return { type: 'FeatureCollection', features };
  }

  @Get(':city/:domain/:sensorId/series')
  @UseInterceptors(HeavyQuery)
  @ApiOperation({ summary: 'One field of one sensor, averaged per window (default: the last 24 hours)' })
  @ApiParam({ name: 'city', example: 'leuven' })
  @ApiParam({ name: 'domain', enum: DOMAINS })
  @ApiParam({ name: 'sensorId', example: 'air-0001' })
  @ApiQuery({ name: 'field', required: false, example: 'no2' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601; default 24 hours before `to`' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601; default now' })
  @ApiQuery({ name: 'every', required: false, enum: Object.keys(SERIES_WINDOWS) })
  @ApiOkResponse({ description: '{ field, every, points: [{ t: epoch ms of the window start, v: mean }] }' })
  async seriesOf(
    @Param('city') city: string,
    @Param('domain') domain: string,
    @Param('sensorId') sensorId: string,
    @Query() input: SeriesQueryInput,
  ): Promise<{ field: string; every: string; points: SeriesPoint[] }> {
    if (!CITY_PATTERN.test(city) || !isDomain(domain) || !SENSOR_ID_PATTERN.test(sensorId)) {
      throw new NotFoundException(`no sensor ${city}/${domain}/${sensorId}`);
    }
    let query;
    try {
      query = parseSeriesQuery(domain, input);
    } catch (error) {
      if (error instanceof SeriesQueryError) throw new BadRequestException(error.message);
      throw error;
    }
    // The chart's shortcut into the series module: one sensor, one field, means, UTC windows.
    const sensor = { city, domain, sensorId };
    const seriesQuery: SeriesQuery = {
      sensors: [sensor],
      fields: [query.field],
      from: query.from,
      to: query.to,
      window: query.every,
      aggregate: 'mean',
      zone: 'UTC',
    };
    let budget;
    try {
      budget = this.series.budget(seriesQuery);
    } catch (error) {
      if (error instanceof SeriesQueryError) throw new BadRequestException(error.message);
      throw error;
    }
    const points: SeriesPoint[] = [];
    // At most MAX_SERIES_POINTS windows: the answer is small whatever the range.
    for (const key of this.series.keys(seriesQuery)) {
      for await (const batch of this.series.batches(key, seriesQuery, budget)) points.push(...batch);
    }
    return { field: query.field, every: query.every, points };
  }
}
