import { Module } from '@nestjs/common';
import { InfluxModule } from '../influx/influx.module';
import { LeasesModule } from '../leases/leases.module';
import { MqttModule } from '../mqtt/mqtt.module';
import { StorageModule } from '../storage/storage.module';
import { ProbeController } from './probe.controller';

@Module({ imports: [MqttModule, StorageModule, InfluxModule, LeasesModule], controllers: [ProbeController] })
export class ProbeModule {}
