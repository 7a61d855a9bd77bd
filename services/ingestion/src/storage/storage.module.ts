import { Module } from '@nestjs/common';
import { InfluxWriter } from './influx.writer';

@Module({ providers: [InfluxWriter], exports: [InfluxWriter] })
export class StorageModule {}
