import type { DeadLetterPublisher } from './dead-letter.publisher';
import { IngestionService } from './ingestion.service';
import { loadAppConfig } from '../app-config';
import { PipelineEventBus } from '../events/pipeline-events';
import type { MqttConnection } from '../mqtt/mqtt-connection.service';
import type { ObservationSpool } from '../storage/observation-spool.service';
import { pino } from 'pino';

function setup(env: Record<string, string> = {}) {
  const logger = pino({ level: 'silent' });
  const events = new PipelineEventBus(logger);
  const spool = { append: jest.fn() };
  const deadLetters = { publish: jest.fn() };
  const mqtt = { addSubscription: jest.fn(), setMessageHandler: jest.fn() };
  const config = loadAppConfig({
    NODE_ENV: 'development',
    INFLUX_WRITE_TOKEN: 'w',
    INFLUX_READ_TOKEN: 'r',
    ...env,
  });
  const service = new IngestionService(
    config.ingest,
    config.mqtt,
    logger,
    mqtt as unknown as MqttConnection,
    spool as unknown as ObservationSpool,
    deadLetters as unknown as DeadLetterPublisher,
    events,
  );
  const accepted = jest.fn();
  const rejected = jest.fn();
  events.on('observation.accepted', accepted);
  events.on('observation.rejected', rejected);
  return { service, spool, deadLetters, mqtt, accepted, rejected, events };
}

describe('IngestionService', () => {
  it('subscribes to observations (shareable among instances) and registers its handler at init', () => {
    const { service, mqtt } = setup();
    service.onModuleInit();
    expect(mqtt.addSubscription).toHaveBeenCalledWith({ filter: 'meetnet/+/+/+/obs', shared: true });
    expect(mqtt.setMessageHandler).toHaveBeenCalledTimes(1);
  });

  it('appends a valid observation to the spool before announcing it', () => {
    const { service, spool, accepted, deadLetters } = setup();
    const order: string[] = [];
    spool.append.mockImplementation(() => void order.push('append'));
    accepted.mockImplementation(() => order.push('accepted'));
    void service.handle(
      'meetnet/leuven/air/a1/obs',
      Buffer.from('{"ts":1795852800000,"pm25":4}'),
      1_795_852_800_000,
    );
    expect(spool.append).toHaveBeenCalledWith(
      expect.objectContaining({ sensorId: 'a1', values: { pm25: 4 } }),
    );
    expect(order).toEqual(['append', 'accepted']);
    expect(deadLetters.publish).not.toHaveBeenCalled();
  });

  it('never lets a bad message reach storage; it is dead-lettered and announced once', () => {
    const { service, spool, deadLetters, rejected, accepted } = setup();
    const payload = Buffer.from('{"ts":1795852800000,"pm25":"lots"}');
    void service.handle('meetnet/leuven/air/a1/obs', payload, 1_795_852_800_000);
    expect(spool.append).not.toHaveBeenCalled();
    expect(accepted).not.toHaveBeenCalled();
    expect(deadLetters.publish).toHaveBeenCalledWith({
      reason: 'wrong_type',
      detail: expect.any(String) as unknown,
      topic: 'meetnet/leuven/air/a1/obs',
      payload,
      receivedAt: 1_795_852_800_000,
    });
    expect(rejected).toHaveBeenCalledTimes(1);
    expect(rejected).toHaveBeenCalledWith(expect.objectContaining({ reason: 'wrong_type' }));
  });

  it('holds the acknowledgement while the spool is full, and announces only once appended', async () => {
    const { service, spool, accepted } = setup();
    let makeRoom!: () => void;
    spool.append.mockReturnValue(new Promise<void>((resolve) => (makeRoom = resolve)));
    const handled = service.handle(
      'meetnet/leuven/air/a1/obs',
      Buffer.from('{"ts":1795852800000,"pm25":4}'),
      1_795_852_800_000,
    );
    expect(handled).toBeInstanceOf(Promise);
    expect(accepted).not.toHaveBeenCalled();
    makeRoom();
    await handled;
    expect(accepted).toHaveBeenCalledTimes(1);
  });

  it('dead-letters a line InfluxDB refused, under the topic it came from', () => {
    const { service, deadLetters, rejected, events } = setup();
    service.onModuleInit();
    const line = 'air,city=leuven,sensor_id=a1 pm25=4 1795852800000';
    events.emit('storage.rejected', { line, error: 'field type conflict' });
    expect(deadLetters.publish).toHaveBeenCalledWith({
      reason: 'storage_rejected',
      detail: 'field type conflict',
      topic: 'meetnet/leuven/air/a1/obs',
      payload: Buffer.from(line),
      receivedAt: expect.any(Number) as unknown,
    });
    expect(rejected).toHaveBeenCalledWith(expect.objectContaining({ reason: 'storage_rejected' }));
  });

  it('never dead-letters a refused dead letter again (that could loop)', () => {
    const { service, deadLetters, events } = setup();
    service.onModuleInit();
    events.emit('storage.rejected', { line: 'rejected,reason=bad_topic letter="{}" 1', error: 'x' });
    expect(deadLetters.publish).not.toHaveBeenCalled();
  });

  it("refuses a flooding device's excess as rate_limited, keeps one letter a second, and lets others through", () => {
    const { service, spool, deadLetters, rejected } = setup({
      INGEST_DEVICE_RATE_PER_S: '1',
      INGEST_DEVICE_BURST: '5',
    });
    const at = 1_795_852_800_000;
    const body = (i: number) => Buffer.from(`{"ts":${at - i},"pm25":4}`);
    for (let i = 0; i < 100; i++) void service.handle('meetnet/leuven/air/flood/obs', body(i), at);
    void service.handle('meetnet/leuven/air/honest/obs', body(0), at);
    expect(spool.append).toHaveBeenCalledTimes(6);
    expect(spool.append).toHaveBeenLastCalledWith(expect.objectContaining({ sensorId: 'honest' }));
    const limited = rejected.mock.calls.filter(([r]) => (r as { reason: string }).reason === 'rate_limited');
    expect(limited).toHaveLength(95);
    expect(deadLetters.publish).toHaveBeenCalledTimes(1);
    expect(deadLetters.publish).toHaveBeenCalledWith(expect.objectContaining({ reason: 'rate_limited' }));
  });
});
