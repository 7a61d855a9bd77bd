import { Module } from '@nestjs/common';
import { MqttModule } from '../mqtt/mqtt.module';
import { StorageModule } from '../storage/storage.module';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { IngestionService } from './ingestion.service';

@Module({
  imports: [MqttModule, StorageModule],
  providers: [IngestionService, DeadLetterPublisher],
  exports: [IngestionService],
})
export class IngestionModule {}
