import { Controller, Get, HttpException, HttpStatus, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../auth/access-policy';
import { RateLimited } from '../../auth/rate-limits';
import { RowLimitReached } from '../../series/query-cost';
import { SeriesQueryError } from '../../series/series-query';
import { OpenDataHeaders } from '../open-data-headers';
import { OpenReadings, type OpenSensor } from '../open-readings.service';
import { ENTITY_SETS, type EntitySet, NAVIGATION, type StaEntity, StaGraph } from './sta-entities';
import { observationOf, observationPage, parseObservationId } from './sta-observations';
import { parseStaOptions, type StaOptions, StaQueryError, type TimeBound } from './sta-query';

const VERSION = 'v1.1';
/** The most entities one request may expand Observations for. */
const MAX_EXPANDED = 100;

class StaError extends HttpException {
  constructor(status: HttpStatus, message: string) {
    super({ code: status, type: 'error', message }, status);
  }
}

/** One step of a resource path: `Things(42)`, `Datastreams`, `name`, `$value`, `$ref`. */
interface Step {
  name: string;
  id?: number | string;
}

function steps(path: string): Step[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const match = /^([A-Za-z$@.]+)(?:\((?:'([^']*)'|(\d{1,19}))\))?$/.exec(decodeURIComponent(segment));
      if (!match)
        throw new StaError(HttpStatus.BAD_REQUEST, `cannot read the path segment "${segment.slice(0, 60)}"`);
      const id = match[3] !== undefined ? Number(match[3]) : match[2];
      return { name: match[1]!, ...(id === undefined ? {} : { id }) };
    });
}

/** Where a path leads: a set (with the ids it may hold), one entity, or a property of one. */
type Target =
  | { kind: 'set'; set: EntitySet; ids?: Array<number | string>; datastream?: number }
  | { kind: 'entity'; set: EntitySet; id: number | string }
  | { kind: 'property'; set: EntitySet; id: number | string; property: string; raw: boolean };

/**
 * OGC SensorThings API 1.1, read-only (the Sensing Core and the query options a read-only
 * server can offer): the public sensors as Things with their Locations, Sensors and a
 * Datastream per field, and Observations read from InfluxDB.
 */
@ApiTags('open data')
@Controller(`sta/${VERSION}`)
@Public()
@RateLimited('public')
export class SensorThingsController {
  private graphOf: { sensors: readonly OpenSensor[]; graph: StaGraph } | undefined;

  constructor(
    private readonly readings: OpenReadings,
    private readonly headers: OpenDataHeaders,
  ) {}

  @Get()
  @ApiOperation({ summary: 'SensorThings: the service root, listing the entity sets' })
  root(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    this.enabledOrNotFound();
    this.headers.apply(response);
    const base = this.base(request);
    return {
      value: ENTITY_SETS.map((name) => ({ name, url: `${base}/${name}` })),
      serverSettings: {
        conformance: [
          'http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel',
          'http://www.opengis.net/spec/iot_sensing/1.1/req/request-data',
        ],
        license: this.headers.licence,
      },
    };
  }

  @Get('*path')
  @ApiOperation({ summary: 'SensorThings: any resource path, such as /Datastreams(1)/Observations?$top=10' })
  @ApiParam({ name: 'path', example: 'Things' })
  @ApiOkResponse({
    description: '{ value: [...], @iot.nextLink? } for a set; the entity; { property: value }',
  })
  async resource(
    @Param('path') path: string | string[],
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    this.enabledOrNotFound();
    let options: StaOptions;
    try {
      options = parseStaOptions(query);
    } catch (error) {
      if (error instanceof StaQueryError) throw new StaError(HttpStatus.BAD_REQUEST, error.message);
      throw error;
    }
    // Each entity's Observations are a query of their own: a list of many is many queries.
    if (options.top > MAX_EXPANDED && options.expand.some((e) => e.navigation === 'Observations')) {
      throw new StaError(
        HttpStatus.BAD_REQUEST,
        `$expand: Observations of at most ${MAX_EXPANDED} entities at once; set $top to ${MAX_EXPANDED} or less`,
      );
    }
    const all = steps(Array.isArray(path) ? path.join('/') : path);
    const ref = all.at(-1)?.name === '$ref';
    const graph = await this.graph();
    const target = this.resolve(graph, ref ? all.slice(0, -1) : all);
    const base = this.base(request);
    this.headers.apply(response);
    try {
      if (target.kind === 'property') {
        const entity = await this.entity(graph, target.set, target.id);
        if (!(target.property in entity))
          throw new StaError(HttpStatus.NOT_FOUND, `no property ${target.property}`);
        const value = entity[target.property];
        if (!target.raw) return { [target.property]: value };
        // `$value`: the raw value; location, feature and unitOfMeasurement stay JSON objects.
        if (value !== null && typeof value === 'object') return value;
        response.type('text/plain');
        return String(value);
      }
      if (target.kind === 'entity') {
        const entity = await this.entity(graph, target.set, target.id);
        if (ref) return { '@iot.selfLink': this.selfLink(base, target.set, target.id) };
        return this.expanded(graph, base, target.set, entity, options);
      }
      const page = await this.collection(graph, target, options);
      const value = ref
        ? page.items.map((e) => ({ '@iot.selfLink': this.selfLink(base, target.set, e['@iot.id']) }))
        : await Promise.all(page.items.map((e) => this.expanded(graph, base, target.set, e, options)));
      return {
        ...(options.count ? { '@iot.count': page.count } : {}),
        value,
        ...(page.next ? { '@iot.nextLink': page.next(request, base) } : {}),
      };
    } catch (error) {
      if (error instanceof SeriesQueryError || error instanceof RowLimitReached) {
        throw new StaError(HttpStatus.BAD_REQUEST, error.message);
      }
      throw error;
    }
  }

  /** One graph per public collection (cached for PUBLIC_CACHE_S), not one per request. */
  private async graph(): Promise<StaGraph> {
    const sensors = await this.readings.sensors();
    if (this.graphOf?.sensors !== sensors) this.graphOf = { sensors, graph: new StaGraph(sensors) };
    return this.graphOf.graph;
  }

  private resolve(graph: StaGraph, path: Step[]): Target {
    const [first, ...rest] = path;
    if (!first || !(ENTITY_SETS as readonly string[]).includes(first.name)) {
      throw new StaError(
        HttpStatus.NOT_FOUND,
        `no entity set ${first?.name ?? ''}; the sets are ${ENTITY_SETS.join(', ')}`,
      );
    }
    let target: Target =
      first.id === undefined
        ? { kind: 'set', set: first.name as EntitySet }
        : { kind: 'entity', set: first.name as EntitySet, id: first.id };
    for (const [i, step] of rest.entries()) {
      // Annotated: TypeScript cannot infer a variable that a loop assigns from itself.
      const current: Target = target;
      if (current.kind === 'property') {
        const { set, id, property }: Extract<Target, { kind: 'property' }> = current;
        if (step.name === '$value' && i === rest.length - 1)
          target = { kind: 'property', set, id, property, raw: true };
        else throw new StaError(HttpStatus.BAD_REQUEST, `nothing follows a property but $value`);
        continue;
      }
      if (current.kind === 'set')
        throw new StaError(HttpStatus.BAD_REQUEST, `choose one of ${current.set} by id before ${step.name}`);
      const to: EntitySet | undefined = NAVIGATION[current.set][step.name];
      if (!to) {
        if (step.id !== undefined)
          throw new StaError(HttpStatus.NOT_FOUND, `${current.set} has no ${step.name}`);
        target = { kind: 'property', set: current.set, id: current.id, property: step.name, raw: false };
        continue;
      }
      if (to === 'Observations') {
        const datastream: number | undefined =
          current.set === 'Datastreams' ? (current.id as number) : undefined;
        if (datastream === undefined) {
          target = { kind: 'set', set: to, ids: [] };
        } else if (step.id !== undefined) {
          target = { kind: 'entity', set: to, id: step.id };
        } else {
          target = { kind: 'set', set: to, datastream };
        }
        continue;
      }
      const ids = graph.related(current.set, current.id, step.name);
      const toOne = !step.name.endsWith('s');
      if (step.id !== undefined) {
        if (!ids.includes(step.id))
          throw new StaError(HttpStatus.NOT_FOUND, `no ${step.name}(${step.id}) there`);
        target = { kind: 'entity', set: to, id: step.id };
      } else if (toOne) {
        if (ids.length === 0) throw new StaError(HttpStatus.NOT_FOUND, `no ${step.name} there`);
        target = { kind: 'entity', set: to, id: ids[0]! };
      } else {
        target = { kind: 'set', set: to, ids };
      }
    }
    return target;
  }

  private async entity(graph: StaGraph, set: EntitySet, id: number | string): Promise<StaEntity> {
    if (set === 'Observations') {
      const parsed = typeof id === 'string' ? parseObservationId(id) : undefined;
      const ref = parsed ? graph.datastream(parsed.datastream) : undefined;
      if (parsed && ref) {
        const at = new Date(parsed.ts);
        const [reading] = await this.readings.history(ref.sensor, at, new Date(parsed.ts + 1), [ref.field]);
        const observation = reading ? observationOf(parsed.datastream, ref.field, reading) : undefined;
        if (observation) return observation;
      }
    } else {
      const entity = typeof id === 'number' ? graph.entity(set, id) : undefined;
      if (entity) return entity;
    }
    throw new StaError(HttpStatus.NOT_FOUND, `no ${set}(${typeof id === 'string' ? `'${id}'` : id})`);
  }

  private async collection(
    graph: StaGraph,
    target: Extract<Target, { kind: 'set' }>,
    options: StaOptions,
  ): Promise<{ items: StaEntity[]; count: number; next?: (request: Request, base: string) => string }> {
    if (target.set === 'Observations') {
      if (target.datastream === undefined) return { items: [], count: 0 };
      const ref = graph.datastream(target.datastream);
      if (!ref) throw new StaError(HttpStatus.NOT_FOUND, `no Datastreams(${target.datastream})`);
      const page = await observationPage(this.readings, target.datastream, ref, options);
      const next = page.next;
      return {
        items: page.items,
        count: page.items.length + options.skip + (next ? 1 : 0),
        ...(next ? { next: (request: Request) => this.nextLink(request, options, next) } : {}),
      };
    }
    let items = graph.all(target.set);
    if (target.ids) items = items.filter((e) => target.ids!.includes(e['@iot.id']));
    if (options.order === 'desc') items.reverse();
    const page = items.slice(options.skip, options.skip + options.top);
    const more = options.skip + options.top < items.length;
    return {
      items: page,
      count: items.length,
      ...(more
        ? {
            next: (request: Request) => {
              const url = new URL(request.originalUrl, `${request.protocol}://${request.get('host')}`);
              url.searchParams.set('$skip', String(options.skip + options.top));
              url.searchParams.set('$top', String(options.top));
              return url.toString();
            },
          }
        : {}),
    };
  }

  /** The same request, its time filter moved past the page just sent. */
  private nextLink(request: Request, options: StaOptions, next: TimeBound): string {
    const url = new URL(request.originalUrl, `${request.protocol}://${request.get('host')}`);
    const at = new Date(next.ms).toISOString();
    const clauses =
      options.order === 'asc'
        ? [
            `phenomenonTime gt ${at}`,
            ...(options.to
              ? [
                  `phenomenonTime ${options.to.inclusive ? 'le' : 'lt'} ${new Date(options.to.ms).toISOString()}`,
                ]
              : []),
          ]
        : [
            ...(options.from
              ? [
                  `phenomenonTime ${options.from.inclusive ? 'ge' : 'gt'} ${new Date(options.from.ms).toISOString()}`,
                ]
              : []),
            `phenomenonTime lt ${at}`,
          ];
    url.searchParams.set('$filter', clauses.join(' and '));
    url.searchParams.delete('$skip');
    url.searchParams.set('$top', String(options.top));
    return url.toString();
  }

  /** An entity with its links, and the navigations `$expand` asked for, inline. */
  private async expanded(
    graph: StaGraph,
    base: string,
    set: EntitySet,
    entity: StaEntity,
    options: StaOptions,
  ): Promise<StaEntity> {
    const id = entity['@iot.id'];
    const self = this.selfLink(base, set, id);
    const out: StaEntity = { ...entity, '@iot.selfLink': self };
    for (const navigation of Object.keys(NAVIGATION[set]))
      out[`${navigation}@iot.navigationLink`] = `${self}/${navigation}`;
    for (const { navigation, options: nested } of options.expand) {
      const to = NAVIGATION[set][navigation];
      if (!to) throw new StaError(HttpStatus.BAD_REQUEST, `$expand: ${set} has no ${navigation}`);
      const target = this.resolve(graph, [{ name: set, id }, { name: navigation }]);
      if (target.kind === 'entity') {
        out[navigation] = {
          ...(await this.entity(graph, target.set, target.id)),
          '@iot.selfLink': this.selfLink(base, target.set, target.id),
        };
      } else if (target.kind === 'set') {
        const page = await this.collection(graph, target, nested);
        out[navigation] = page.items.map((e) => ({
          ...e,
          '@iot.selfLink': this.selfLink(base, target.set, e['@iot.id']),
        }));
      }
    }
    return out;
  }

  private selfLink(base: string, set: EntitySet, id: number | string): string {
    return `${base}/${set}(${typeof id === 'string' ? `'${id}'` : id})`;
  }

  private base(request: Request): string {
    return `${request.protocol}://${request.get('host')}/sta/${VERSION}`;
  }

  private enabledOrNotFound(): void {
    if (!this.readings.enabled)
      throw new StaError(HttpStatus.NOT_FOUND, 'this city publishes no open data (PUBLIC_DOMAINS=none)');
  }
}
