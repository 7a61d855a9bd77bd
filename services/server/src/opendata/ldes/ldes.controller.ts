import { Controller, Get, HttpException, HttpStatus, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../auth/access-policy';
import { RateLimited } from '../../auth/rate-limits';
import { InjectConfig } from '../../config/config-slice';
import { openDataConfig, type OpenDataSettings } from '../open-data.config';
import { OpenDataHeaders } from '../open-data-headers';
import type { OpenReading } from '../open-reading';
import { OpenReadings } from '../open-readings.service';
import { osloContext, verkeersmetingen } from '../oslo/verkeersmeting';
import osloApContext from '../oslo/verkeersmetingen-ap.context.json';
import { HOUR_MS, HourPages } from './hour-pages.service';
import { SOSA_CONTEXT, sosaMembers } from './sosa-members';

const TREE = {
  tree: 'https://w3id.org/tree#',
  ldes: 'https://w3id.org/ldes#',
  dcterms: 'http://purl.org/dc/terms/',
};
const YEAR_S = 31_536_000;

interface Stream {
  title: string;
  context: (base: string) => unknown;
  members: (base: string, reading: OpenReading) => Array<Record<string, unknown>>;
}

/** The streams: every public layer as SOSA, and traffic in the Flemish standard. */
const STREAMS: Record<string, Stream> = {
  observations: {
    title: 'Hourly values of every public sensor (SOSA)',
    context: () => ({ ...SOSA_CONTEXT, ...TREE }),
    members: sosaMembers,
  },
  verkeersmetingen: {
    title: 'Verkeersmetingen per uur (OSLO Verkeersmetingen)',
    context: (base) => [...osloContext(base), TREE],
    // Only a traffic counter's hour has counts and V85: other layers give no members.
    members: verkeersmetingen,
  },
};

class LdesError extends HttpException {
  constructor(status: HttpStatus, message: string) {
    super({ statusCode: status, message }, status);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const dateTime = (ms: number) => ({ '@value': iso(ms), '@type': 'xsd:dateTime' });

/**
 * Linked Data Event Streams (https://w3id.org/ldes/specification) of the public data, so the
 * Flemish Smart Data Space can replicate and follow a city's measurements: a page per hour,
 * linked forward by `tree:relation` on `prov:generatedAtTime`, frozen (`immutable`, cached a
 * year) once its hour is past the grace period.
 */
@ApiTags('open data')
@Controller('ldes/v1')
@Public()
@RateLimited('public')
export class LdesController {
  constructor(
    private readonly pages: HourPages,
    private readonly readings: OpenReadings,
    private readonly headers: OpenDataHeaders,
    @InjectConfig(openDataConfig) private readonly settings: OpenDataSettings,
  ) {}

  @Get('contexts/verkeersmetingen-ap.jsonld')
  @ApiOperation({
    summary: "OSLO Verkeersmetingen' JSON-LD context, served here (a copy of the recognised profile's)",
  })
  context(@Res({ passthrough: true }) response: Response): unknown {
    this.headers.apply(response, 86_400);
    response.type('application/ld+json');
    return osloApContext;
  }

  @Get(':stream')
  @ApiOperation({ summary: 'LDES: a stream, its root node linking to its first page' })
  @ApiParam({ name: 'stream', enum: Object.keys(STREAMS) })
  root(
    @Param('stream') name: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const stream = this.stream(name);
    const base = this.base(request);
    const first = this.firstPage();
    this.headers.apply(response);
    response.type('application/ld+json');
    return this.document(stream, base, name, `${base}/ldes/v1/${name}`, first, [], false);
  }

  @Get(':stream/:at')
  @ApiOperation({ summary: 'LDES: the page of the hour that ended at `at` (an ISO 8601 hour, UTC)' })
  @ApiParam({ name: 'stream', enum: Object.keys(STREAMS) })
  @ApiParam({ name: 'at', example: '2026-12-01T10:00:00.000Z' })
  async page(
    @Param('stream') name: string,
    @Param('at') at: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    const stream = this.stream(name);
    const ms = /^\d{4}-\d\d-\d\dT\d\d:00:00(\.000)?Z$/.test(at) ? Date.parse(at) : Number.NaN;
    // Pages before the stream's start are no page: each would be a query, and a walk through
    // years of hours a flood of them.
    if (!Number.isFinite(ms) || !this.pages.exists(ms) || ms < this.firstPage()) {
      throw new LdesError(
        HttpStatus.NOT_FOUND,
        `no page ${at.slice(0, 40)}: pages are whole UTC hours that have ended, from ${iso(this.firstPage())} on`,
      );
    }
    const page = await this.pages.page(ms);
    const base = this.base(request);
    const members = page.readings.flatMap((reading) => stream.members(base, reading));
    const next = ms + HOUR_MS;
    this.headers.apply(response, page.frozen ? YEAR_S : 60, page.frozen);
    response.type('application/ld+json');
    return this.document(
      stream,
      base,
      name,
      `${base}/ldes/v1/${name}/${iso(ms)}`,
      this.pages.exists(next) ? next : undefined,
      members,
      page.frozen,
    );
  }

  private document(
    stream: Stream,
    base: string,
    name: string,
    view: string,
    next: number | undefined,
    members: Array<Record<string, unknown>>,
    frozen: boolean,
  ): Record<string, unknown> {
    const path = { '@id': 'http://www.w3.org/ns/prov#generatedAtTime' };
    const node = next === undefined ? undefined : { '@id': `${base}/ldes/v1/${name}/${iso(next)}` };
    return {
      '@context': stream.context(base),
      '@id': `${base}/ldes/v1/${name}`,
      '@type': 'ldes:EventStream',
      'dcterms:title': stream.title,
      'dcterms:license': { '@id': this.headers.licence },
      'ldes:timestampPath': path,
      'ldes:pollingInterval': HOUR_MS / 1000,
      'tree:view': {
        '@id': view,
        '@type': 'tree:Node',
        ...(frozen ? { 'ldes:immutable': true } : {}),
        // The next page holds the hour after this one: a client ANDs the two bounds.
        'tree:relation': node
          ? [
              {
                '@type': 'tree:GreaterThanOrEqualToRelation',
                'tree:node': node,
                'tree:path': path,
                'tree:value': dateTime(next!),
              },
              {
                '@type': 'tree:LessThanRelation',
                'tree:node': node,
                'tree:path': path,
                'tree:value': dateTime(next! + HOUR_MS),
              },
            ]
          : [],
      },
      'tree:member': members,
    };
  }

  /** The stream starts OPEN_DATA_LDES_DAYS before its newest page. */
  private firstPage(): number {
    return this.pages.latest() - this.settings.ldesDays * 86_400_000;
  }

  private stream(name: string): Stream {
    if (!this.readings.enabled)
      throw new LdesError(HttpStatus.NOT_FOUND, 'this city publishes no open data (PUBLIC_DOMAINS=none)');
    const stream = Object.hasOwn(STREAMS, name) ? STREAMS[name] : undefined;
    if (!stream)
      throw new LdesError(
        HttpStatus.NOT_FOUND,
        `no stream ${name.slice(0, 40)}; the streams are ${Object.keys(STREAMS).join(', ')}`,
      );
    return stream;
  }

  private base(request: Request): string {
    return `${request.protocol}://${request.get('host')}`;
  }
}
