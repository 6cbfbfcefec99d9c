import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InstanceEntity } from '../../src/persistence/instance.entity';
import { OperationEntity, OperationState, OperationType } from '../../src/persistence/operation.entity';
import { anInstance, anOperation } from './operations';

/** An operation of a seeded runtime: type and state, plus anything else to override. */
export type OperationSpec = { type: OperationType; state: OperationState } & Partial<
  Omit<OperationEntity, 'type' | 'state'>
>;

export interface SeededRuntime {
  instance: InstanceEntity;
  operations: OperationEntity[];
}

/** A global account id no other test (or suite sharing the database) uses. */
export function uniqueAccount(label = 'ga'): string {
  return `${label}-${randomUUID()}`;
}

/**
 * Inserts an instance and its operations as the broker does (instance first, then operations in order).
 * Without explicit timestamps, operation n is created n minutes after the instance and updated 30 s later,
 * so "the last operation" is the last one listed.
 */
export async function insertRuntime(
  dataSource: DataSource,
  instance: Partial<InstanceEntity> = {},
  operations: OperationSpec[] = [{ type: 'provision', state: 'succeeded' }],
): Promise<SeededRuntime> {
  const row = anInstance(instance);
  const ops = operations.map((spec, n) => {
    const createdAt = spec.createdAt ?? new Date(row.createdAt.getTime() + (n + 1) * 60_000);
    return anOperation(row.instanceId, spec.type, {
      createdAt,
      updatedAt: new Date(createdAt.getTime() + 30_000),
      nextAttemptAt: createdAt,
      finishedAt: spec.state === 'succeeded' || spec.state === 'failed' ? createdAt : null,
      ...spec,
    });
  });
  await dataSource.getRepository(InstanceEntity).insert(row);
  for (const op of ops) {
    await dataSource.getRepository(OperationEntity).insert(op);
  }
  return { instance: row, operations: ops };
}

/** Runtimes of one account created one second apart in the given order (the listing's order). */
export async function insertRuntimes(
  dataSource: DataSource,
  count: number,
  instance: (n: number) => Partial<InstanceEntity>,
  operations: (n: number) => OperationSpec[] = () => [{ type: 'provision', state: 'succeeded' }],
  start = new Date('2026-01-01T00:00:00Z'),
): Promise<SeededRuntime[]> {
  const seeded: SeededRuntime[] = [];
  for (let n = 0; n < count; n++) {
    const createdAt = new Date(start.getTime() + n * 1000);
    seeded.push(await insertRuntime(dataSource, { createdAt, updatedAt: createdAt, ...instance(n) }, operations(n)));
  }
  return seeded;
}
