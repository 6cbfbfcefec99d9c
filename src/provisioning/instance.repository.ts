import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { InstanceEntity } from '../persistence/instance.entity';
import { OperationEntity } from '../persistence/operation.entity';

/** Instances and their operations: the aggregate the OSB instance routes and the engine work on. */
@Injectable()
export class InstanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(instanceId: string): Promise<InstanceEntity | null> {
    return this.dataSource.getRepository(InstanceEntity).findOneBy({ instanceId });
  }

  findByRuntimeId(runtimeId: string): Promise<InstanceEntity | null> {
    return this.dataSource.getRepository(InstanceEntity).findOneBy({ runtimeId });
  }

  /** Inserts a new instance with its first operation atomically. */
  async insertWithOperation(instance: InstanceEntity, operation: OperationEntity): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.getRepository(InstanceEntity).insert(instance);
      await tx.getRepository(OperationEntity).insert(operation);
    });
  }

  /**
   * Runs `fn` with the instance row locked (SELECT ... FOR UPDATE), so concurrent mutations of one
   * instance (a new operation, a binding under the count limit) are serialised in the database.
   */
  async withLockedInstance<T>(
    instanceId: string,
    fn: (tx: EntityManager, instance: InstanceEntity | null) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (tx) => {
      const instance = await tx
        .getRepository(InstanceEntity)
        .createQueryBuilder('i')
        .setLock('pessimistic_write')
        .where('i.instance_id = :instanceId', { instanceId })
        .getOne();
      return fn(tx, instance);
    });
  }

  async update(instanceId: string, patch: Partial<InstanceEntity>, tx?: EntityManager): Promise<void> {
    await (tx ?? this.dataSource.manager).getRepository(InstanceEntity).update({ instanceId }, patch);
  }

  /** Live (not deprovisioned) instances of one subaccount, oldest first. */
  listOfSubaccount(subaccountId: string, limit = 1000): Promise<InstanceEntity[]> {
    return this.dataSource.getRepository(InstanceEntity).find({
      where: { subaccountId, deletedAt: IsNull() },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }
}
