import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, LessThanOrEqual } from 'typeorm';
import { BindingEntity } from '../persistence/binding.entity';

export type ReserveOutcome =
  | { kind: 'reserved'; binding: BindingEntity }
  | { kind: 'existing'; binding: BindingEntity }
  | { kind: 'limit-reached'; count: number };

@Injectable()
export class BindingRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(instanceId: string, bindingId: string): Promise<BindingEntity | null> {
    return this.dataSource.getRepository(BindingEntity).findOneBy({ instanceId, bindingId });
  }

  /**
   * Checks the binding id and the non-expired count, and inserts the row, in one transaction under a
   * per-instance advisory lock: concurrent binds of one instance are serialised in the database, so the
   * limit holds across requests and replicas. An expired row with the same id is replaced.
   */
  async reserve(candidate: BindingEntity, maxNonExpired: number, now: Date): Promise<ReserveOutcome> {
    return this.dataSource.transaction(async (tx) => {
      await this.lockInstance(tx, candidate.instanceId);
      const repo = tx.getRepository(BindingEntity);
      const existing = await repo.findOneBy({ instanceId: candidate.instanceId, bindingId: candidate.bindingId });
      if (existing && existing.expiresAt > now) {
        return { kind: 'existing', binding: existing };
      }
      if (existing) {
        await repo.delete({ instanceId: existing.instanceId, bindingId: existing.bindingId });
      }
      const count = await repo
        .createQueryBuilder('b')
        .where('b.instance_id = :instanceId AND b.expires_at > :now', { instanceId: candidate.instanceId, now })
        .getCount();
      if (count >= maxNonExpired) {
        return { kind: 'limit-reached', count };
      }
      await repo.insert(candidate);
      return { kind: 'reserved', binding: candidate };
    });
  }

  async markReady(
    instanceId: string,
    bindingId: string,
    patch: Pick<BindingEntity, 'kubeconfigCiphertext' | 'keyId' | 'expiresAt'>,
  ): Promise<void> {
    await this.dataSource
      .getRepository(BindingEntity)
      .update({ instanceId, bindingId, state: 'creating' }, { ...patch, state: 'ready' });
  }

  /** A creation that failed half-way: expire the row at once so unbind, rebind and cleanup revoke it. */
  async markAbandoned(instanceId: string, bindingId: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(BindingEntity)
      .set({ expiresAt: () => 'created_at' })
      .where({ instanceId, bindingId, state: 'creating' })
      .execute();
  }

  async delete(instanceId: string, bindingId: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(BindingEntity).delete({ instanceId, bindingId });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Deletes the given bindings in one statement, each only if it is still expired at `now` (a binding
   * re-created with the same id meanwhile stays).
   */
  async deleteExpired(keys: Array<Pick<BindingEntity, 'instanceId' | 'bindingId'>>, now: Date): Promise<number> {
    if (keys.length === 0) {
      return 0;
    }
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(BindingEntity)
      .where('(instance_id, binding_id) IN (SELECT * FROM unnest(CAST(:iids AS text[]), CAST(:bids AS text[])))', {
        iids: keys.map((k) => k.instanceId),
        bids: keys.map((k) => k.bindingId),
      })
      .andWhere('expires_at <= :now', { now })
      .execute();
    return result.affected ?? 0;
  }

  async deleteAllOf(instanceId: string): Promise<number> {
    const result = await this.dataSource.getRepository(BindingEntity).delete({ instanceId });
    return result.affected ?? 0;
  }

  /** Oldest-expired first, a bounded batch (the cleanup job pages through them). */
  listExpired(now: Date, limit: number): Promise<BindingEntity[]> {
    return this.dataSource.getRepository(BindingEntity).find({
      where: { expiresAt: LessThanOrEqual(now) },
      order: { expiresAt: 'ASC' },
      take: limit,
    });
  }

  listOf(instanceId: string): Promise<BindingEntity[]> {
    return this.dataSource.getRepository(BindingEntity).find({ where: { instanceId }, order: { createdAt: 'ASC' } });
  }

  private async lockInstance(tx: EntityManager, instanceId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`bindings:${instanceId}`]);
  }
}
