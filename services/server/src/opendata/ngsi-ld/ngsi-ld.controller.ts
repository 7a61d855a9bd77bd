import { Controller, Get, Headers, HttpException, HttpStatus, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DOMAINS, domainSpec } from '@meetnet/contracts';
import { Public } from '../../auth/access-policy';
import { RateLimited } from '../../auth/rate-limits';
import { SeriesQueryError } from '../../series/series-query';
import { RowLimitReached } from '../../series/query-cost';
import { OpenDataHeaders } from '../open-data-headers';
import { OpenReadings, type OpenSensor } from '../open-readings.service';
import { entityId, type NgsiEntity, type NgsiForm, ngsiEntity, sensorKeyOf } from './ngsi-entities';
import { temporalEntity } from './ngsi-temporal';

const TYPES = DOMAINS.map((domain) => domainSpec(domain).smartDataModel.type);
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 20;
/** A temporal query covers a week at most: a longer one is several requests, or the export. */
const MAX_TEMPORAL_MS = 7 * 86_400_000;

/** NGSI-LD's error body (ETSI GS CIM 009, ProblemDetails), with its status. */
class NgsiProblem extends HttpException {
  constructor(
    status: HttpStatus,
    kind: 'BadRequestData' | 'ResourceNotFound' | 'InvalidRequest',
    detail: string,
  ) {
    super({ type: `https://uri.etsi.org/ngsi-ld/errors/${kind}`, title: kind, detail }, status);
  }
}

const bad = (detail: string) => new NgsiProblem(HttpStatus.BAD_REQUEST, 'BadRequestData', detail);

function formOf(options: string | undefined): NgsiForm {
  if (options === undefined || options === '') return 'normalized';
  const parts = options.split(',');
  if (parts.some((part) => !['keyValues', 'normalized', 'temporalValues', 'sysAttrs'].includes(part))) {
    throw bad(`options: ${options} is not keyValues, normalized or temporalValues`);
  }
  return parts.includes('keyValues') ? 'keyValues' : 'normalized';
}

function typesOf(type: string | undefined): string[] {
  if (type === undefined) return TYPES;
  const wanted = type.split(',');
  const unknown = wanted.filter((t) => !TYPES.includes(t));
  if (unknown.length > 0) throw bad(`type: ${unknown.join(', ')} is not one of ${TYPES.join(', ')}`);
  return wanted;
}

function count(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) throw bad(`${name}: an integer from 0 to ${max}`);
  return value;
}

function instant(name: string, raw: string | undefined): Date {
  const ms = raw === undefined ? Number.NaN : Date.parse(raw);
  if (!Number.isFinite(ms) || !/^\d{4}-\d\d-\d\dT/.test(raw ?? ''))
    throw bad(`${name}: an ISO 8601 date-time`);
  return new Date(ms);
}

/**
 * Meetnet read like an NGSI-LD context broker (ETSI GS CIM 009): the public sensors as FIWARE
 * Smart Data Models, their latest values at `/entities` and their history at
 * `/temporal/entities`. Read-only, public, cached; what is public is the public map's choice.
 */
@ApiTags('open data')
@Controller('ngsi-ld/v1')
@Public()
@RateLimited('public')
export class NgsiLdController {
  constructor(
    private readonly readings: OpenReadings,
    private readonly headers: OpenDataHeaders,
  ) {}

  @Get('entities')
  @ApiOperation({ summary: 'NGSI-LD: the latest value of every public sensor as a Smart Data Model entity' })
  @ApiQuery({ name: 'type', required: false, example: 'AirQualityObserved', description: TYPES.join(', ') })
  @ApiQuery({ name: 'id', required: false, description: 'comma-separated entity ids' })
  @ApiQuery({ name: 'options', required: false, example: 'keyValues' })
  @ApiQuery({ name: 'limit', required: false, example: 20 })
  @ApiQuery({ name: 'offset', required: false, example: 0 })
  @ApiOkResponse({
    description:
      'An array of entities (application/ld+json with @context, or application/json with a Link header)',
  })
  async entities(
    @Query('type') type: string | undefined,
    @Query('id') id: string | undefined,
    @Query('options') options: string | undefined,
    @Query('limit') limit: string | undefined,
    @Query('offset') offset: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NgsiEntity[]> {
    this.enabledOrNotFound();
    const form = formOf(options);
    const types = typesOf(type);
    const ids = id?.split(',');
    const [take, skip] = [
      count('limit', limit, DEFAULT_LIMIT, MAX_LIMIT),
      count('offset', offset, 0, 1_000_000),
    ];
    const all = (await this.readings.latest())
      .map((reading) => ngsiEntity(reading, form))
      .filter((entity) => types.includes(entity.type) && (!ids || ids.includes(entity.id)));
    response.setHeader('NGSILD-Results-Count', String(all.length));
    return this.answer(all.slice(skip, skip + take), accept, response);
  }

  @Get('entities/:id')
  @ApiOperation({ summary: "NGSI-LD: one public sensor's latest value" })
  @ApiParam({ name: 'id', example: 'urn:ngsi-ld:AirQualityObserved:meetnet:leuven:air:air-0001' })
  @ApiQuery({ name: 'options', required: false, example: 'keyValues' })
  async entity(
    @Param('id') id: string,
    @Query('options') options: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NgsiEntity> {
    this.enabledOrNotFound();
    const form = formOf(options);
    const key = sensorKeyOf(id);
    const reading = (await this.readings.latest()).find((r) => r.key === key && entityId(r) === id);
    if (!reading) throw new NgsiProblem(HttpStatus.NOT_FOUND, 'ResourceNotFound', `no public entity ${id}`);
    return this.answer([ngsiEntity(reading, form)], accept, response)[0]!;
  }

  @Get('temporal/entities/:id')
  @ApiOperation({ summary: "NGSI-LD temporal: one public sensor's history (hourly for hourly layers)" })
  @ApiParam({ name: 'id', example: 'urn:ngsi-ld:AirQualityObserved:meetnet:leuven:air:air-0001' })
  @ApiQuery({ name: 'timerel', required: true, example: 'between' })
  @ApiQuery({ name: 'timeAt', required: true, example: '2026-12-01T00:00:00Z' })
  @ApiQuery({ name: 'endTimeAt', required: false, example: '2026-12-02T00:00:00Z' })
  @ApiQuery({ name: 'options', required: false, example: 'temporalValues' })
  async temporal(
    @Param('id') id: string,
    @Query('timerel') timerel: string | undefined,
    @Query('timeAt') timeAt: string | undefined,
    @Query('endTimeAt') endTimeAt: string | undefined,
    @Query('options') options: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NgsiEntity> {
    this.enabledOrNotFound();
    const simplified = options?.split(',').includes('temporalValues') ?? false;
    formOf(options);
    const sensor = await this.sensorOf(id);
    const [from, to] = this.range(timerel, timeAt, endTimeAt);
    try {
      const history = await this.readings.history(sensor, from, to);
      return this.answer([temporalEntity(sensor, history, simplified)], accept, response)[0]!;
    } catch (error) {
      if (error instanceof SeriesQueryError || error instanceof RowLimitReached) throw bad(error.message);
      throw error;
    }
  }

  private async sensorOf(id: string): Promise<OpenSensor> {
    const key = sensorKeyOf(id);
    const sensor = key ? await this.readings.sensor(key) : undefined;
    if (!sensor || entityId({ domain: sensor.address.domain, key: sensor.key }) !== id) {
      throw new NgsiProblem(HttpStatus.NOT_FOUND, 'ResourceNotFound', `no public entity ${id}`);
    }
    return sensor;
  }

  /** `timerel=between&timeAt=…&endTimeAt=…`, `before` or `after` (a week from or to `timeAt`). */
  private range(
    timerel: string | undefined,
    timeAt: string | undefined,
    endTimeAt: string | undefined,
  ): [Date, Date] {
    const at = instant('timeAt', timeAt);
    let range: [Date, Date];
    if (timerel === 'between') range = [at, instant('endTimeAt', endTimeAt)];
    else if (timerel === 'after')
      range = [at, new Date(Math.min(Date.now(), at.getTime() + MAX_TEMPORAL_MS))];
    else if (timerel === 'before') range = [new Date(at.getTime() - MAX_TEMPORAL_MS), at];
    else throw bad('timerel: one of before, after, between');
    if (range[0] >= range[1]) throw bad('endTimeAt: must be after timeAt');
    if (range[1].getTime() - range[0].getTime() > MAX_TEMPORAL_MS)
      throw bad('timeAt, endTimeAt: at most 7 days apart');
    return range;
  }

  /**
   * JSON-LD with its @context in the body when asked for (`Accept: application/ld+json`), plain
   * JSON with the context in a Link header otherwise, as NGSI-LD brokers answer.
   */
  private answer(entities: NgsiEntity[], accept: string | undefined, response: Response): NgsiEntity[] {
    this.headers.apply(response);
    if (accept?.includes('application/ld+json')) {
      response.type('application/ld+json');
      return entities;
    }
    const context = (entities[0]?.['@context'] as string[] | undefined)?.[0];
    if (context) {
      response.append(
        'Link',
        `<${context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
      );
    }
    return entities.map(({ '@context': _context, ...rest }) => rest as NgsiEntity);
  }

  private enabledOrNotFound(): void {
    if (!this.readings.enabled) {
      throw new NgsiProblem(
        HttpStatus.NOT_FOUND,
        'ResourceNotFound',
        'this city publishes no open data (PUBLIC_DOMAINS=none)',
      );
    }
  }
}
