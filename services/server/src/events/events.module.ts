import { Global, Module } from '@nestjs/common';
import { PipelineEventBus } from './pipeline-events';

@Global()
@Module({ providers: [PipelineEventBus], exports: [PipelineEventBus] })
export class EventsModule {}
