import { Module } from '@nestjs/common';
import { ObservationSpool } from './observation-spool.service';
import { SpoolShipper } from './spool.shipper';

@Module({ providers: [ObservationSpool, SpoolShipper], exports: [ObservationSpool, SpoolShipper] })
export class StorageModule {}
