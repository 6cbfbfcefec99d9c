import { Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';

export interface InstanceDeprovisioned {
  instanceId: string;
}

/**
 * In-process events about instances, so modules can react (e.g. bindings drop their rows) without
 * the provisioning engine depending on them. Losing an event on a crash is harmless: the expiry
 * cleanup also removes bindings of deleted instances.
 */
@Injectable()
export class InstanceEvents {
  private readonly deprovisioned = new Subject<InstanceDeprovisioned>();

  readonly deprovisioned$: Observable<InstanceDeprovisioned> = this.deprovisioned.asObservable();

  emitDeprovisioned(event: InstanceDeprovisioned): void {
    this.deprovisioned.next(event);
  }
}
