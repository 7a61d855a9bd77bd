import { Injectable } from '@nestjs/common';
import { type SensorAddress, sensorKey, type SourceHealth } from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import { PipelineEventBus } from '../events/pipeline-events';
import { sourcesConfig, type SourcesSettings } from '../sources/sources.config';
import { healthConfig, type HealthSettings } from './health.config';

interface SourceState {
  reachable: boolean;
  /** Epoch ms of the latest change between reachable and not. */
  since: number;
  lastAnswerAt?: number;
  sensors: number;
}

/**
 * Which sensors come through which upstream source (the sources file), and whether each source
 * answers: a network server that is down, or Telraam's API, is one problem of its own, not one
 * "offline" for every sensor behind it.
 */
@Injectable()
export class SourceStates {
  private readonly sourceOf = new Map<string, string>();
  private readonly states = new Map<string, SourceState>();
  /** Down for less than this is a reconnect, not yet a problem: two health evaluations. */
  private readonly graceMs: number;

  constructor(
    @InjectConfig(sourcesConfig) settings: SourcesSettings,
    @InjectConfig(healthConfig) health: HealthSettings,
    events: PipelineEventBus,
  ) {
    this.graceMs = 2 * health.evaluationIntervalMs;
    const add = (source: string, address: SensorAddress) => {
      this.sourceOf.set(sensorKey(address), source);
      const state = this.states.get(source) ?? { reachable: true, since: Date.now(), sensors: 0 };
      state.sensors += 1;
      this.states.set(source, state);
    };
    for (const source of settings.lorawan) {
      for (const d of source.devices.values())
        add(source.name, { city: d.city, domain: d.domain, sensorId: d.sensorId });
    }
    for (const station of settings.stations.values()) {
      for (const [domain, sensorId] of Object.entries(station.sensors)) {
        add(station.source, { city: station.city, domain: domain as SensorAddress['domain'], sensorId });
      }
    }
    for (const source of settings.telraam) {
      for (const s of source.segments)
        add(source.name, { city: s.city, domain: 'mobility', sensorId: s.sensorId });
    }
    events.on('source.connection', ({ source, connected }) => {
      const state = this.states.get(source);
      if (!state) return;
      if (state.reachable !== connected) Object.assign(state, { reachable: connected, since: Date.now() });
      if (connected) state.lastAnswerAt = Date.now();
    });
    events.on('source.uplink', ({ source }) => {
      const state = this.states.get(source);
      if (state) state.lastAnswerAt = Date.now();
    });
  }

  /** The sensor's source, if it has one. */
  sourceOfSensor(key: string): string | undefined {
    return this.sourceOf.get(key);
  }

  /** Set when the sensor's source has not answered for longer than a reconnect takes. */
  downFor(key: string, now: number): { name: string; since: number } | undefined {
    const name = this.sourceOf.get(key);
    const state = name === undefined ? undefined : this.states.get(name);
    if (!name || !state || state.reachable || now - state.since < this.graceMs) return undefined;
    return { name, since: state.since };
  }

  all(): SourceHealth[] {
    return [...this.states].map(([name, s]) => ({
      name,
      reachable: s.reachable,
      ...(s.lastAnswerAt === undefined ? {} : { lastAnswerAt: s.lastAnswerAt }),
      sensors: s.sensors,
    }));
  }
}
