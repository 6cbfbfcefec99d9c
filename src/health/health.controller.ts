import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  @ApiOkResponse({ description: 'The process is alive.', schema: { example: { status: 'ok' } } })
  liveness(): { status: string } {
    return { status: 'ok' };
  }

  /** Readiness: the database answers within a second. */
  @Get('readyz')
  @HealthCheck()
  @ApiServiceUnavailableResponse({ description: 'The database does not answer.' })
  readiness(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.ping()]);
  }
}
