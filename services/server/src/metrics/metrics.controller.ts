import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../auth/access-policy';
import { Unmetered } from '../auth/rate-limits';
import { MetricsService } from './metrics.service';

// Counts only, no sensor data; keep the port off the internet all the same (SECURITY.md).
@Controller('metrics')
@Public()
@Unmetered()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
