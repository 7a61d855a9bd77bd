import { Controller, Get, NotFoundException, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  CITY_PATTERN,
  DOMAINS,
  isDomain,
  SENSOR_ID_PATTERN,
  type SensorChartAnswer,
  type SensorCollection,
  WATCH_ROLES,
} from '@meetnet/contracts';
import { Roles } from '../auth/access-policy';
import { HeavyQuery } from '../series/query-slots';
import { asBadRequest } from '../series/query-cost';
import { type SeriesPoint, SeriesService } from '../series/series.service';
import { SensorRegistry } from './sensor-registry.service';
import { CHART_WINDOWS, type ChartQueryInput, parseChartQuery } from './sensor-chart-query';

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
  list(): SensorCollection {
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
  @ApiQuery({ name: 'every', required: false, enum: Object.keys(CHART_WINDOWS) })
  @ApiOkResponse({ description: '{ field, every, points: [{ t: epoch ms of the window start, v: mean }] }' })
  async seriesOf(
    @Param('city') city: string,
    @Param('domain') domain: string,
    @Param('sensorId') sensorId: string,
    @Query() input: ChartQueryInput,
  ): Promise<SensorChartAnswer> {
    if (!CITY_PATTERN.test(city) || !isDomain(domain) || !SENSOR_ID_PATTERN.test(sensorId)) {
      throw new NotFoundException(`no sensor ${city}/${domain}/${sensorId}`);
    }
    let query;
    try {
      query = parseChartQuery({ city, domain, sensorId }, input);
    } catch (error) {
      asBadRequest(error);
    }
    const plan = await this.series.plan(query).catch(asBadRequest);
    const points: SeriesPoint[] = [];
    // At most the chart's 5,000 windows: the answer is small whatever the range.
    for (const key of this.series.keys(query)) {
      for await (const batch of this.series.batches(key, query, plan)) points.push(...batch);
    }
    return { field: query.fields[0]!, every: query.window, points };
  }
}
