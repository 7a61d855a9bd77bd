import { createHash, timingSafeEqual } from 'node:crypto';
import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Headers,
  HttpCode,
  type OnApplicationBootstrap,
  Post,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { buildTopic, type Domain, domainSpec, type SensorAddress } from '@meetnet/contracts';
import Ajv from 'ajv';
import { Public } from '../auth/access-policy';
import { InjectConfig } from '../config/config-slice';
import { PipelineEventBus } from '../events/pipeline-events';
import { type IngestOutcome, IngestionService } from '../ingestion/ingestion.service';
import { schemaMessage } from '../validation/schema-problem';
import { PUSH_BODY_SCHEMA, type PushBody, readPush } from './sensor-community-push';
import { sourcesConfig, type SourcesSettings } from './sources.config';
import type { KnownStation } from './sources-file';

const validatePush = new Ajv({ strict: true }).compile<PushBody>(PUSH_BODY_SCHEMA);

/** What a push became: the sensors stored, and those refused with their reason. */
export interface PushAnswer {
  stored: string[];
  refused: Array<{ sensor: string; reason: string; detail: string }>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * Sensor.Community (airRohr) stations, pointed at Meetnet as they are: "Send to own API" with
 * this server, the path `/api/v1/sources/sensor-community` and the station's user and password.
 * The answer comes after the values are on the spool (or refused), so a 200 means kept.
 */
@ApiTags('sources')
@Controller('sources/sensor-community')
@Public()
export class SensorCommunityController implements OnApplicationBootstrap {
  constructor(
    @InjectConfig(sourcesConfig) private readonly settings: SourcesSettings,
    private readonly ingestion: IngestionService,
    private readonly events: PipelineEventBus,
  ) {}

  /** Each station's sensors, described as their own `meta` would: name, place, interval. */
  onApplicationBootstrap(): void {
    for (const station of this.settings.stations.values()) {
      const { name, lat, lon, intervalS } = station;
      for (const domain of Object.keys(station.sensors) as Domain[]) {
        const model = `sensor-community ${station.station}`;
        this.ingestion.describe(addressOf(station, domain), { name, lat, lon, model, intervalS });
      }
    }
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "An airRohr station's push (its firmware's custom API), with basic auth per station",
  })
  @ApiOkResponse({ description: '{ stored: [sensor keys], refused: [{ sensor, reason, detail }] }' })
  async push(
    @Headers('authorization') authorization: string | undefined,
    @Headers('x-sensor') sensorHeader: string | undefined,
    @Body() body: unknown,
  ): Promise<PushAnswer> {
    const station = this.authenticate(authorization);
    if (sensorHeader !== undefined && sensorHeader !== station.station) {
      throw new ForbiddenException(`X-Sensor ${sensorHeader.slice(0, 64)} is not station ${station.station}`);
    }
    if (!validatePush(body)) {
      throw new BadRequestException(
        `Invalid push: ${schemaMessage(validatePush.errors?.[0], 'body', 'property')}`,
      );
    }
    const receivedAt = Date.now();
    const readings = readPush(body, station.sensors);
    if (!readings.ok) {
      this.events.emit('source.uplink', { source: station.source, outcome: 'refused' });
      const detail = `${station.source}: ${readings.detail}`;
      await this.ingestion.refuse(
        readings.reason,
        detail,
        `sensor-community/${station.station}`,
        Buffer.from(JSON.stringify(body)),
        receivedAt,
      );
      throw new BadRequestException(`${readings.reason}: ${readings.detail}`);
    }
    const answer: PushAnswer = { stored: [], refused: [] };
    for (const [domain, values] of readings.byDomain) {
      const address = addressOf(station, domain);
      const sensor = `${address.city}/${domain}/${address.sensorId}`;
      const record = (outcome: IngestOutcome) => {
        if (outcome.accepted) answer.stored.push(sensor);
        else answer.refused.push({ sensor, reason: outcome.reason, detail: outcome.detail });
      };
      if (readings.signalDbm !== undefined) {
        const status = { online: true, signalDbm: readings.signalDbm };
        await this.ingestion.handle(
          buildTopic(address, 'status'),
          Buffer.from(JSON.stringify(status)),
          receivedAt,
        );
      }
      const observation = {
        ts: receivedAt,
        ...values,
        ...(domainSpec(domain).period ? { periodS: readings.intervalS ?? station.intervalS } : {}),
      };
      await this.ingestion.handle(
        buildTopic(address, 'obs'),
        Buffer.from(JSON.stringify(observation)),
        receivedAt,
        record,
      );
    }
    this.events.emit('source.uplink', {
      source: station.source,
      outcome: answer.stored.length > 0 ? 'forwarded' : 'refused',
    });
    if (answer.stored.length === 0) {
      throw new BadRequestException(
        answer.refused.map((r) => `${r.sensor}: ${r.reason}: ${r.detail}`).join('; '),
      );
    }
    return answer;
  }

  /** Basic auth: the station id and its password. Compared in constant time, whoever asks. */
  private authenticate(authorization: string | undefined): KnownStation {
    const credentials = /^Basic ([A-Za-z0-9+/=]{1,512})$/.exec(authorization ?? '')?.[1];
    const [user = '', ...rest] = credentials
      ? Buffer.from(credentials, 'base64').toString('utf8').split(':')
      : [];
    const station = this.settings.stations.get(user);
    // Compared whether or not the station exists, so the answer takes as long either way.
    const matches = timingSafeEqual(sha256(rest.join(':')), sha256(station?.password ?? '\u0000no station'));
    if (!station || !matches || station.password === '') {
      throw new UnauthorizedException('a station id and its password (basic auth) are required');
    }
    return station;
  }
}

function addressOf(station: KnownStation, domain: Domain): SensorAddress {
  return { city: station.city, domain, sensorId: station.sensors[domain]! };
}
