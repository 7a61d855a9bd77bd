import { Module } from '@nestjs/common';
import { MqttModule } from '../mqtt/mqtt.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({ imports: [MqttModule], controllers: [MetricsController], providers: [MetricsService] })
export class MetricsModule {}
