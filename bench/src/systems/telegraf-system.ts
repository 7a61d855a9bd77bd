import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OBSERVATION_FILTER } from '@meetnet/contracts';
import { createDatabase } from '@meetnet/tests/dist/support/influxd';
import { REPO_ROOT } from '@meetnet/tests/dist/support/paths';
import { endMqttSession, ProcessSystem } from './process-system';

let telegrafBinary: string | undefined;

/** Builds the pinned Telegraf once (bench/telegraf/install.sh) and returns its path. */
export function installTelegraf(): string {
  telegrafBinary ??= execFileSync('bash', [resolve(REPO_ROOT, 'bench/telegraf/install.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return telegrafBinary;
}

export function telegrafVersion(): string {
  return execFileSync(installTelegraf(), ['--version'], { encoding: 'utf8' }).trim();
}

/**
 * Telegraf's `mqtt_consumer` → `influxdb`, configured as a city running a TIG stack would:
 * measurement and tags from the topic, the device's `ts` as the time, QoS 1 on a persistent
 * session (Telegraf then acknowledges only what it delivered), the agent's defaults (flush every
 * 10 s, batches of 1,000, a buffer of 10,000), or the same with a 1 s flush.
 */
export class TelegrafSystem extends ProcessSystem {
  readonly key: string;
  readonly label: string;
  private clientId = '';

  constructor(
    private readonly variant: 'default' | 'flush1s',
    private readonly brokerUrl: string,
    influxUrl: string,
    /** Where it writes, if not `influxUrl` itself: a fault proxy in the outage turn. */
    private readonly writeUrl = influxUrl,
  ) {
    super(influxUrl, `telegraf_${variant}`);
    this.key = `telegraf-${variant}`;
    this.label =
      variant === 'default'
        ? 'Telegraf: mqtt_consumer → influxdb, agent defaults (flush 10 s)'
        : 'Telegraf, tuned: flush_interval 1 s';
  }

  async start(qos: 0 | 1): Promise<void> {
    const binary = installTelegraf();
    await createDatabase(this.influxUrl, this.database);
    const dir = mkdtempSync(join(tmpdir(), 'meetnet-telegraf-'));
    this.clientId = `telegraf-bench-${this.variant}-${Date.now()}`;
    const broker = new URL(this.brokerUrl);
    const config = `
[agent]
  omit_hostname = true
  ${this.variant === 'flush1s' ? 'flush_interval = "1s"' : '# agent defaults: interval 10s, flush_interval 10s, metric_batch_size 1000, metric_buffer_limit 10000'}

[[inputs.mqtt_consumer]]
  servers = ["tcp://${broker.host}"]
  topics = ["${OBSERVATION_FILTER}"]
  qos = ${qos}
  client_id = "${this.clientId}"
  persistent_session = ${qos === 1}
  topic_tag = ""
  data_format = "json"
  json_time_key = "ts"
  json_time_format = "RFC3339"
  [[inputs.mqtt_consumer.topic_parsing]]
    topic = "${OBSERVATION_FILTER}"
    measurement = "_/_/measurement/_/_"
    tags = "_/city/_/sensor_id/_"

[[outputs.influxdb]]
  urls = ["${this.writeUrl}"]
  database = "${this.database}"
  skip_database_creation = true
`;
    writeFileSync(join(dir, 'telegraf.conf'), config);
    await this.launch(
      'Telegraf',
      binary,
      ['--config', join(dir, 'telegraf.conf')],
      { cwd: dir, logFile: join(dir, 'telegraf.log') },
      (output) => /Connected \[?tcp:/.test(output),
    );
  }

  override async stop(): Promise<void> {
    await super.stop();
    if (this.clientId) await endMqttSession(this.brokerUrl, this.clientId);
  }
}
