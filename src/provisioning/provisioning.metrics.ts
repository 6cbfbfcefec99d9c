import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '../metrics/metrics.registry';

/** Operations by type and final state, for alerting on failing provisioning. */
@Injectable()
export class ProvisioningMetrics {
  private readonly finished: Counter<'type' | 'state'>;

  constructor(metrics: MetricsRegistry) {
    this.finished = new Counter({
      name: 'kyma_broker_operations_finished_total',
      help: 'OSB operations that reached a final state',
      labelNames: ['type', 'state'],
      registers: [metrics.registry],
    });
  }

  operationFinished(type: string, state: string): void {
    this.finished.inc({ type, state });
  }
}
