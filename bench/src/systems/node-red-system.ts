import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OBSERVATION_FILTER } from '@meetnet/contracts';
import { freePort } from '@meetnet/tests/dist/support/free-port';
import { createDatabase } from '@meetnet/tests/dist/support/influxd';
import { REPO_ROOT } from '@meetnet/tests/dist/support/paths';
import { BENCH_DOMAIN } from '../load/bench-fleet';
import { ProcessSystem } from './process-system';

const NODE_RED_DIR = resolve(REPO_ROOT, 'bench/node-red');

/** Installs the pinned Node-RED (bench/node-red/install.sh) and reports its version. */
export function installNodeRed(): string {
  execFileSync('bash', [join(NODE_RED_DIR, 'install.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const read = (name: string) =>
    (
      JSON.parse(
        execFileSync('node', ['-p', `JSON.stringify(require('${name}/package.json'))`], {
          cwd: NODE_RED_DIR,
          encoding: 'utf8',
        }),
      ) as { version: string }
    ).version;
  return `Node-RED ${read('node-red')}, node-red-contrib-influxdb ${read('node-red-contrib-influxdb')}`;
}

type Flow = Record<string, unknown>[];

/** Node ids as the editor makes them (16 hex digits); short words clash with Node-RED's own names. */
const ID = {
  tab: 'b0e7c0de00000001',
  broker: 'b0e7c0de00000002',
  influx: 'b0e7c0de00000003',
  in: 'b0e7c0de00000004',
  json: 'b0e7c0de00000005',
  out: 'b0e7c0de00000006',
  point: 'b0e7c0de00000007',
  join: 'b0e7c0de00000008',
};

type Node = Record<string, unknown>;

/** What both flows start with: the broker, InfluxDB, and mqtt in → json. */
function flowHead(broker: Node, influx: Node, qos: number, next: string): Flow {
  return [
    { id: ID.tab, type: 'tab', label: 'meetnet' },
    broker,
    influx,
    {
      id: ID.in,
      type: 'mqtt in',
      z: ID.tab,
      topic: OBSERVATION_FILTER,
      qos: String(qos),
      datatype: 'utf8',
      broker: ID.broker,
      nl: false,
      rap: true,
      rh: 0,
      inputs: 0,
      wires: [[ID.json]],
    },
    { id: ID.json, type: 'json', z: ID.tab, property: 'payload', action: '', pretty: false, wires: [[next]] },
  ];
}

const influxOut = (precision: string): Node => ({
  id: ID.out,
  type: 'influxdb out',
  z: ID.tab,
  influxdb: ID.influx,
  measurement: BENCH_DOMAIN,
  precision,
  retentionPolicy: '',
  wires: [],
});

/**
 * The flow a city builds by default: mqtt in → json → influxdb out, one write per message,
 * InfluxDB's clock as the time (the node's default when the payload has no `time`).
 */
function defaultFlow(broker: Node, influx: Node, qos: number): Flow {
  return [...flowHead(broker, influx, qos, ID.out), influxOut('')];
}

/**
 * The same flow as a careful user batches it: a function makes [fields, tags] with the
 * device's time, a join node collects 1,000 (or whatever came in a second) into one write.
 */
function batchedFlow(broker: Node, influx: Node, qos: number): Flow {
  const toPoint = [
    "const [, city, , sensorId] = msg.topic.split('/');",
    'const { ts, ...fields } = msg.payload;',
    'fields.time = Date.parse(ts);',
    'msg.payload = [fields, { city, sensor_id: sensorId }];',
    'return msg;',
  ].join('\n');
  return [
    ...flowHead(broker, influx, qos, ID.point),
    { id: ID.point, type: 'function', z: ID.tab, func: toPoint, outputs: 1, wires: [[ID.join]] },
    {
      id: ID.join,
      type: 'join',
      z: ID.tab,
      mode: 'custom',
      build: 'array',
      property: 'payload',
      propertyType: 'msg',
      key: 'topic',
      joiner: '\\n',
      joinerType: 'str',
      accumulate: false,
      timeout: '1',
      count: '1000',
      reduce: '',
      wires: [[ID.out]],
    },
    influxOut('ms'),
  ];
}

export class NodeRedSystem extends ProcessSystem {
  readonly key: string;
  readonly label: string;

  constructor(
    private readonly variant: 'default' | 'batched',
    private readonly brokerUrl: string,
    influxUrl: string,
    /** Where it writes, if not `influxUrl` itself: a fault proxy in the outage turn. */
    private readonly writeUrl = influxUrl,
  ) {
    super(influxUrl, `nodered_${variant}`);
    this.key = `node-red-${variant}`;
    this.label =
      variant === 'default'
        ? 'Node-RED: mqtt in → json → influxdb out'
        : 'Node-RED batched: … → join 1,000 → influxdb out';
  }

  async start(qos: 0 | 1): Promise<void> {
    await createDatabase(this.influxUrl, this.database);
    const dir = mkdtempSync(join(tmpdir(), 'meetnet-node-red-'));
    symlinkSync(join(NODE_RED_DIR, 'node_modules'), join(dir, 'node_modules'));
    const broker = new URL(this.brokerUrl);
    const influx = new URL(this.writeUrl);
    const brokerNode = {
      id: ID.broker,
      type: 'mqtt-broker',
      broker: broker.hostname,
      port: broker.port,
      clientid: `node-red-bench-${Date.now()}`,
      autoConnect: true,
      usetls: false,
      protocolVersion: '4',
      keepalive: '60',
      cleansession: true,
    };
    const influxNode = {
      id: ID.influx,
      type: 'influxdb',
      hostname: influx.hostname,
      port: influx.port,
      protocol: 'http',
      database: this.database,
      influxdbVersion: '1.x',
      usetls: false,
    };
    const flow = (this.variant === 'default' ? defaultFlow : batchedFlow)(brokerNode, influxNode, qos);
    writeFileSync(join(dir, 'flows.json'), JSON.stringify(flow));
    writeFileSync(
      join(dir, 'settings.js'),
      `module.exports = ${JSON.stringify({
        uiHost: '127.0.0.1',
        uiPort: await freePort(),
        httpAdminRoot: false,
        httpNodeRoot: false,
        credentialSecret: false,
        flowFile: 'flows.json',
        logging: { console: { level: 'info', metrics: false, audit: false } },
      })};\n`,
    );
    await this.launch(
      'Node-RED',
      'node',
      [
        join(NODE_RED_DIR, 'node_modules/node-red/red.js'),
        '--userDir',
        dir,
        '--settings',
        join(dir, 'settings.js'),
      ],
      { cwd: dir, logFile: join(dir, 'node-red.log') },
      (output) => output.includes('Connected to broker'),
    );
  }
}
