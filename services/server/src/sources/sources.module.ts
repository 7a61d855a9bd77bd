import { Module } from '@nestjs/common';
import { IngestionModule } from '../ingestion/ingestion.module';
import { LorawanBridge } from './lorawan-bridge.service';

/** Devices that reach Meetnet through another system (LoRaWAN network servers), as the sources file maps them. */
@Module({ imports: [IngestionModule], providers: [LorawanBridge] })
export class SourcesModule {}
