import { Module } from '@nestjs/common';
import { IngestionModule } from '../ingestion/ingestion.module';
import { SensorRegistryModule } from '../sensors/sensor-registry.module';
import { LorawanBridge } from './lorawan-bridge.service';
import { SensorCommunityController } from './sensor-community.controller';
import { TelraamPoller } from './telraam-poller.service';

/**
 * Devices that reach Meetnet another way than its own MQTT topics: through LoRaWAN network
 * servers, or pushing like Sensor.Community stations, or polled like Telraam, as the sources file maps them.
 */
@Module({
  imports: [IngestionModule, SensorRegistryModule],
  controllers: [SensorCommunityController],
  providers: [LorawanBridge, TelraamPoller],
})
export class SourcesModule {}
