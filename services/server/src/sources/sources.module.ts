import { Module } from '@nestjs/common';
import { IngestionModule } from '../ingestion/ingestion.module';
import { LorawanBridge } from './lorawan-bridge.service';
import { SensorCommunityController } from './sensor-community.controller';

/**
 * Devices that reach Meetnet another way than its own MQTT topics: through LoRaWAN network
 * servers, or pushing like Sensor.Community stations, as the sources file maps them.
 */
@Module({ imports: [IngestionModule], controllers: [SensorCommunityController], providers: [LorawanBridge] })
export class SourcesModule {}
