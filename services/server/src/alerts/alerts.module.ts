import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { HealthModule } from '../health/health.module';
import { InfluxModule } from '../influx/influx.module';
import { LeasesModule } from '../leases/leases.module';
import { SensorRegistryModule } from '../sensors/sensor-registry.module';
import { StorageModule } from '../storage/storage.module';
import { AlertDispatcher } from './alert-dispatcher.service';
import { AlertEpisodesStore } from './alert-episodes.store';
import { AlertEvaluator } from './alert-evaluator.service';
import { AlertRulesStore } from './alert-rules.store';
import { AlertStateMirror } from './alert-state-mirror';
import { AlertsController } from './alerts.controller';
import { HourlyAggregatesReader } from './hourly-aggregates.reader';
import { RawReadingsReader } from './raw-readings.reader';

/** Limits on averaging periods and broken sensors, judged once, told to the right people. */
@Module({
  imports: [
    ScheduleModule.forRoot(),
    InfluxModule,
    StorageModule,
    SensorRegistryModule,
    HealthModule,
    LeasesModule,
  ],
  controllers: [AlertsController],
  providers: [
    AlertRulesStore,
    AlertStateMirror,
    AlertEpisodesStore,
    AlertEvaluator,
    AlertDispatcher,
    HourlyAggregatesReader,
    RawReadingsReader,
  ],
})
export class AlertsModule {}
