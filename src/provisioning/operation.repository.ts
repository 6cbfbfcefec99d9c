import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { OperationEntity, OperationType } from '../persistence/operation.entity';

const ACTIVE_STATES = ['pending', 'in progress'];

@Injectable()
export class OperationRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(id: string): Promise<OperationEntity | null> {
    return this.dataSource.getRepository(OperationEntity).findOneBy({ id });
  }

  async insert(operation: OperationEntity, tx?: EntityManager): Promise<void> {
    await (tx ?? this.dataSource.manager).getRepository(OperationEntity).insert(operation);
  }

  /** The newest operation of an instance, optionally of one type. */
  async last(instanceId: string, type?: OperationType, tx?: EntityManager): Promise<OperationEntity | null> {
    return (tx ?? this.dataSource.manager).getRepository(OperationEntity).findOne({
      where: type ? { instanceId, type } : { instanceId },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }

  async active(instanceId: string, tx?: EntityManager): Promise<OperationEntity[]> {
    return (tx ?? this.dataSource.manager).getRepository(OperationEntity).find({
      where: { instanceId, state: In(ACTIVE_STATES) },
      order: { createdAt: 'ASC' },
    });
  }

  /**
   * Claims one runnable operation for `owner` until `leaseUntil`. SKIP LOCKED lets replicas claim
   * different operations concurrently; an expired lease (a dead replica) makes the operation claimable again.
   */
  async claimNext(owner: string, now: Date, leaseUntil: Date, exclude: string[]): Promise<OperationEntity | null> {
    const result: unknown[] = await this.dataSource.query(
      `UPDATE operations SET lease_owner = $1, lease_expires_at = $2
        WHERE id = (
          SELECT id FROM operations
           WHERE state IN ('pending', 'in progress')
             AND next_attempt_at <= $3
             AND (lease_expires_at IS NULL OR lease_expires_at < $3)
             AND NOT (id = ANY($4::varchar[]))
           ORDER BY next_attempt_at
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [owner, leaseUntil, now, exclude],
    );
    // node-postgres through TypeORM answers UPDATE ... RETURNING with [rows, affectedCount].
    const rows = (Array.isArray(result[0]) ? result[0] : result) as Array<{ id: string }>;
    return rows[0] ? this.find(rows[0].id) : null;
  }

  /**
   * Writes a step's outcome and releases the lease, only if `owner` still holds it (fencing: a replica
   * whose lease expired must not overwrite the new owner's progress). Returns false when fenced off.
   */
  async saveAndRelease(owner: string, id: string, patch: Partial<OperationEntity>): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(OperationEntity)
      .set({ ...patch, leaseOwner: null, leaseExpiresAt: null })
      .where('id = :id AND lease_owner = :owner', { id, owner })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async update(id: string, patch: Partial<OperationEntity>, tx?: EntityManager): Promise<void> {
    await (tx ?? this.dataSource.manager).getRepository(OperationEntity).update({ id }, patch);
  }
}
