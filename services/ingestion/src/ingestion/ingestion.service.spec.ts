import type { DeadLetterPublisher } from './dead-letter.publisher';
import { IngestionService } from './ingestion.service';
import { loadConfig } from '../config/app-config';
import { PipelineEventBus } from '../events/pipeline-events';
import type { MqttConnection } from '../mqtt/mqtt-connection.service';
import type { InfluxWriter } from '../storage/influx.writer';
import { pino } from 'pino';

function setup() {
  const logger = pino({ level: 'silent' });
  const events = new PipelineEventBus(logger);
  const writer = { write: jest.fn() };
  const deadLetters = { publish: jest.fn() };
  const mqtt = { addSubscription: jest.fn(), setMessageHandler: jest.fn() };
  const service = new IngestionService(
    loadConfig({ INFLUX_TOKEN: 't' }),
    logger,
    mqtt as unknown as MqttConnection,
    writer as unknown as InfluxWriter,
    deadLetters as unknown as DeadLetterPublisher,
    events,
  );
  const accepted = jest.fn();
  const rejected = jest.fn();
  events.on('observation.accepted', accepted);
  events.on('observation.rejected', rejected);
  return { service, writer, deadLetters, mqtt, accepted, rejected };
}

describe('IngestionService', () => {
  it('subscribes to observations through a shared subscription and registers its handler at init', () => {
    const { service, mqtt } = setup();
    service.onModuleInit();
    expect(mqtt.addSubscription).toHaveBeenCalledWith({ filter: 'meetnet/+/+/+/obs', shared: true });
    expect(mqtt.setMessageHandler).toHaveBeenCalledTimes(1);
  });

  it('hands a valid observation to storage before announcing it', () => {
    const { service, writer, accepted, deadLetters } = setup();
    const order: string[] = [];
    writer.write.mockImplementation(() => order.push('write'));
    accepted.mockImplementation(() => order.push('accepted'));
    service.handle(
      'meetnet/leuven/air/a1/obs',
      Buffer.from('{"ts":1795852800000,"pm25":4}'),
      1_795_852_800_000,
    );
    expect(writer.write).toHaveBeenCalledWith(
      expect.objectContaining({ sensorId: 'a1', values: { pm25: 4 } }),
    );
    expect(order).toEqual(['write', 'accepted']);
    expect(deadLetters.publish).not.toHaveBeenCalled();
  });

  it('never lets a bad message reach storage; it is dead-lettered and announced once', () => {
    const { service, writer, deadLetters, rejected, accepted } = setup();
    const payload = Buffer.from('{"ts":1795852800000,"pm25":"lots"}');
    service.handle('meetnet/leuven/air/a1/obs', payload, 1_795_852_800_000);
    expect(writer.write).not.toHaveBeenCalled();
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
});
