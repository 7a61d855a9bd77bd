import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CITY_PATTERN,
  DOMAINS,
  findMunicipality,
  isDomain,
  type MunicipalityFeature,
  type PublicSensorCollection,
  type PublicWeekAnswer,
  SENSOR_ID_PATTERN,
} from '@meetnet/contracts';
import { Public } from '../auth/access-policy';
import { RateLimited } from '../auth/rate-limits';
import { InjectConfig } from '../config/config-slice';
import { PublicMapService } from './public-map.service';
import { publicConfig, type PublicSettings } from './public.config';

/** A municipality's outline changes with a merger of municipalities, not within a day. */
const OUTLINE_CACHE_S = 86_400;

/**
 * The public map's reads: anyone may call them, each answer cached (by the service and, for
 * `PUBLIC_CACHE_S`, by browsers and proxies) and counted against its own rate limit.
 */
@ApiTags('public')
@Controller('public')
@Public()
@RateLimited('public')
export class PublicController {
  constructor(
    private readonly map: PublicMapService,
    @InjectConfig(publicConfig) private readonly settings: PublicSettings,
  ) {}

  @Get('sensors')
  @ApiOperation({
    summary: 'The public map: published sensors with the values the city publishes (no sign-in)',
  })
  @ApiOkResponse({ description: 'GeoJSON FeatureCollection; `layers` lists the published layers' })
  async sensors(@Res({ passthrough: true }) response: Response): Promise<PublicSensorCollection> {
    this.enabledOrNotFound();
    const collection = await this.map.collection();
    this.cacheFor(response, this.settings.cacheS);
    return collection;
  }

  @Get('sensors/:city/:domain/:sensorId/week')
  @ApiOperation({ summary: "One public sensor's last seven days, hourly (counts: totals per hour)" })
  @ApiParam({ name: 'city', example: 'leuven' })
  @ApiParam({ name: 'domain', enum: DOMAINS })
  @ApiParam({ name: 'sensorId', example: 'air-0001' })
  @ApiQuery({ name: 'field', required: false, example: 'no2' })
  async week(
    @Param('city') city: string,
    @Param('domain') domain: string,
    @Param('sensorId') sensorId: string,
    @Query('field') field: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PublicWeekAnswer> {
    this.enabledOrNotFound();
    if (!CITY_PATTERN.test(city) || !isDomain(domain) || !SENSOR_ID_PATTERN.test(sensorId)) {
      throw new NotFoundException(`no public sensor ${city}/${domain}/${sensorId}`);
    }
    if (field !== undefined && !/^[a-zA-Z0-9]{1,20}$/.test(field))
      throw new NotFoundException(`no field ${field}`);
    const answer = await this.map.week({ city, domain, sensorId }, field);
    this.cacheFor(response, this.settings.cacheS);
    return answer;
  }

  @Get('outlines/:city')
  @ApiOperation({ summary: "A Flemish municipality's outline, so a map loads only the city it shows" })
  @ApiParam({ name: 'city', example: 'leuven', description: 'name, slug or NIS code' })
  outline(@Param('city') city: string, @Res({ passthrough: true }) response: Response): MunicipalityFeature {
    const municipality = city.length <= 60 ? findMunicipality(city) : undefined;
    if (!municipality) throw new NotFoundException(`no Flemish municipality ${city.slice(0, 60)}`);
    this.cacheFor(response, OUTLINE_CACHE_S);
    return municipality;
  }

  private enabledOrNotFound(): void {
    if (!this.map.enabled)
      throw new NotFoundException('this city publishes no public map (PUBLIC_DOMAINS=none)');
  }

  private cacheFor(response: Response, seconds: number): void {
    response.setHeader('Cache-Control', `public, max-age=${seconds}`);
  }
}
