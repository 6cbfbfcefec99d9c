import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '../metrics/metrics.registry';

@Injectable()
export class BindingsMetrics {
  readonly created: Counter<'type'>;
  readonly failed: Counter<'type'>;
  readonly revoked: Counter;
  readonly expiredRemoved: Counter;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.created = new Counter({
      name: 'kyma_broker_bindings_created_total',
      help: 'Bindings created',
      labelNames: ['type'],
      registers,
    });
    this.failed = new Counter({
      name: 'kyma_broker_bindings_failed_total',
      help: 'Bind attempts that failed and were rolled back',
      labelNames: ['type'],
      registers,
    });
    this.revoked = new Counter({
      name: 'kyma_broker_bindings_revoked_total',
      help: 'Bindings deleted by unbind',
      registers,
    });
    this.expiredRemoved = new Counter({
      name: 'kyma_broker_bindings_expired_removed_total',
      help: 'Expired bindings removed by the cleanup job',
      registers,
    });
  }
}
