import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  CITY_PATTERN,
  type DeadLetter,
  DEVICE_ROLES,
  DOMAINS,
  type FleetHealth,
  HEALTH_STATUSES,
  type HealthChange,
  type HealthStatus,
  isDomain,
  PROBLEMS,
  SENSOR_ID_PATTERN,
  type SensorAddress,
  type SensorHealth,
  sensorKey,
} from '@meetnet/contracts';
import { Roles } from '../auth/access-policy';
import { InjectConfig } from '../config/config-slice';
import { healthConfig, type HealthSettings } from './health.config';
import { HealthHistoryStore } from './health-history.store';
import { HealthMonitor } from './health-monitor.service';
import { RejectedMessagesReader } from './rejected-messages.reader';
import { parseHealthQuery } from './health-query';
import { SourceStates } from './source-states';

const SEVERITY_ORDER: Record<HealthStatus, number> = { fault: 0, warning: 1, ok: 2 };

@ApiTags('health')
@Controller('health/sensors')
@Roles(...DEVICE_ROLES)
export class HealthController {
  constructor(
    @InjectConfig(healthConfig) private readonly settings: HealthSettings,
    private readonly monitor: HealthMonitor,
    private readonly history: HealthHistoryStore,
    private readonly rejects: RejectedMessagesReader,
    private readonly sources: SourceStates,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Every sensor with its health, worst first; counts per status over the whole fleet; the upstream sources and whether they answer',
  })
  @ApiQuery({ name: 'status', required: false, enum: HEALTH_STATUSES })
  @ApiQuery({ name: 'domain', required: false, enum: DOMAINS })
  @ApiQuery({ name: 'problem', required: false, enum: PROBLEMS })
  list(@Query() input: unknown): FleetHealth {
    const query = parseHealthQuery(input);
    const all = this.monitor.all();
    const counts: Record<HealthStatus, number> = { ok: 0, warning: 0, fault: 0 };
    for (const sensor of all) counts[sensor.status] += 1;
    const sensors = all
      .filter(
        (s) =>
          (!query.status || s.status === query.status) &&
          (!query.domain || s.domain === query.domain) &&
          (!query.problem || s.problems.some((p) => p.problem === query.problem)),
      )
      .sort(
        (a, b) =>
          SEVERITY_ORDER[a.status] - SEVERITY_ORDER[b.status] ||
          earliest(a) - earliest(b) ||
          a.key.localeCompare(b.key),
      );
    return { counts, sensors, sources: this.sources.all() };
  }

  @Get(':city/:domain/:sensorId')
  @ApiOperation({ summary: "One sensor's health and its problem history (newest first)" })
  @ApiParam({ name: 'domain', enum: DOMAINS })
  async one(
    @Param('city') city: string,
    @Param('domain') domain: string,
    @Param('sensorId') sensorId: string,
  ): Promise<{ sensor: SensorHealth; history: HealthChange[] }> {
    const { address, sensor } = this.known(city, domain, sensorId);
    const history = await this.history.history(address, this.settings.historyDays);
    return { sensor, history };
  }

  @Get(':city/:domain/:sensorId/rejects')
  @ApiOperation({
    summary:
      "One sensor's refused messages of the last 30 days, newest first (at most 50): reason, detail, time and the payload's first 4 KiB",
  })
  @ApiParam({ name: 'domain', enum: DOMAINS })
  async rejected(
    @Param('city') city: string,
    @Param('domain') domain: string,
    @Param('sensorId') sensorId: string,
  ): Promise<{ rejects: DeadLetter[] }> {
    const { address } = this.known(city, domain, sensorId);
    return { rejects: await this.rejects.recent(address) };
  }

  private known(
    city: string,
    domain: string,
    sensorId: string,
  ): { address: SensorAddress; sensor: SensorHealth } {
    const sensor =
      CITY_PATTERN.test(city) && isDomain(domain) && SENSOR_ID_PATTERN.test(sensorId)
        ? this.monitor.one(sensorKey({ city, domain, sensorId }))
        : undefined;
    if (!sensor || !isDomain(domain)) throw new NotFoundException(`no sensor ${city}/${domain}/${sensorId}`);
    return { address: { city, domain, sensorId }, sensor };
  }
}

function earliest(sensor: SensorHealth): number {
  return Math.min(Number.MAX_SAFE_INTEGER, ...sensor.problems.map((p) => p.since));
}
