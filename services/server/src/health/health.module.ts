import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { InfluxModule } from '../influx/influx.module';
import { LeasesModule } from '../leases/leases.module';
import { SensorRegistryModule } from '../sensors/sensor-registry.module';
import { StorageModule } from '../storage/storage.module';
import { HealthController } from './health.controller';
import { HealthHistoryStore } from './health-history.store';
import { HealthMonitor } from './health-monitor.service';
import { RejectedMessagesReader } from './rejected-messages.reader';
import { SourceStates } from './source-states';

/** Sensor health for field technicians: rules on a schedule, history in InfluxDB, REST and live. */
@Module({
  imports: [ScheduleModule.forRoot(), InfluxModule, StorageModule, SensorRegistryModule, LeasesModule],
  controllers: [HealthController],
  providers: [HealthMonitor, HealthHistoryStore, RejectedMessagesReader, SourceStates],
  exports: [HealthMonitor],
})
export class HealthModule {}
