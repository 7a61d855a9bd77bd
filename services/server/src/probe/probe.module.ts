import { Module } from '@nestjs/common';
import { InfluxModule } from '../influx/influx.module';
import { MqttModule } from '../mqtt/mqtt.module';
import { StorageModule } from '../storage/storage.module';
import { ProbeController } from './probe.controller';

@Module({ imports: [MqttModule, StorageModule, InfluxModule], controllers: [ProbeController] })
export class ProbeModule {}
