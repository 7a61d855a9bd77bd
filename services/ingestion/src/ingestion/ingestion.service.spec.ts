import type { DeadLetterPublisher } from './dead-letter.publisher';
import { IngestionService } from './ingestion.service';
import { loadConfig } from '../config/app-config';
import { PipelineEventBus } from '../events/pipeline-events';
import type { MqttConnection } from '../mqtt/mqtt-connection.service';
import type { ObservationSpool } from '../storage/observation-spool.service';
import { pino } from 'pino';

function setup() {
  const logger = pino({ level: 'silent' });
  const events = new PipelineEventBus(logger);
  const spool = { append: jest.fn() };
  const deadLetters = { publish: jest.fn() };
  const mqtt = { addSubscription: jest.fn(), setMessageHandler: jest.fn() };
  const service = new IngestionService(
    loadConfig({ INFLUX_WRITE_TOKEN: 'w', INFLUX_READ_TOKEN: 'r' }),
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
    expect(deadLetters.publish).toHaveBeenCalledWith(
      'wrong_type',
      expect.any(String),
      'meetnet/leuven/air/a1/obs',
      payload,
      1_795_852_800_000,
    );
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
    expect(deadLetters.publish).toHaveBeenCalledWith(
      'storage_rejected',
      'field type conflict',
      'meetnet/leuven/air/a1/obs',
      Buffer.from(line),
      expect.any(Number),
    );
    expect(rejected).toHaveBeenCalledWith(expect.objectContaining({ reason: 'storage_rejected' }));
  });
});
