import { Module } from '@nestjs/common';
import { MqttModule } from '../mqtt/mqtt.module';
import { StorageModule } from '../storage/storage.module';
import { ProbeController } from './probe.controller';

@Module({ imports: [MqttModule, StorageModule], controllers: [ProbeController] })
export class ProbeModule {}
