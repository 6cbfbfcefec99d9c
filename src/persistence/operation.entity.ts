import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JsonObject } from './json';

export type OperationType = 'provision' | 'update' | 'deprovision';
export type OperationState = 'pending' | 'in progress' | 'succeeded' | 'failed';

/** One asynchronous OSB operation, driven step by step by the provisioning engine. */
@Entity({ name: 'operations' })
export class OperationEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  @Column({ name: 'type', type: 'varchar', length: 32 })
  type!: OperationType;

  @Column({ name: 'state', type: 'varchar', length: 32 })
  state!: OperationState;

  @Column({ name: 'description', type: 'text', default: '' })
  description!: string;

  /** Name of the next step to run; empty once finished. */
  @Column({ name: 'step', type: 'varchar', length: 64, default: '' })
  step!: string;

  /** Attempts of the current step. */
  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'data', type: 'jsonb', default: () => "'{}'" })
  data!: JsonObject;

  @Column({ name: 'lease_owner', type: 'varchar', length: 128, nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt!: Date | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
