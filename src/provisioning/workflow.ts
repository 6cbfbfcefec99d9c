import type { InstanceEntity } from '../persistence/instance.entity';
import type { OperationEntity } from '../persistence/operation.entity';

/** What a step tells the engine to do next. */
export type StepOutcome =
  | { kind: 'next'; step: string; description?: string; data?: Record<string, unknown> }
  | { kind: 'wait'; afterMs: number; description?: string }
  | { kind: 'done'; description: string }
  | { kind: 'fail'; description: string };

export interface StepContext {
  operation: OperationEntity;
  instance: InstanceEntity;
}

export type Step = (ctx: StepContext) => Promise<StepOutcome>;

/** The ordered steps of one operation type, addressed by name so progress can be persisted. */
export interface Workflow {
  firstStep: string;
  steps: Record<string, Step>;
}
