import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JsonObject } from './json';

/** A provisioned (or being provisioned, or deprovisioned) Kyma runtime. */
@Entity({ name: 'instances' })
export class InstanceEntity {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  @Column({ name: 'runtime_id', type: 'varchar', length: 255 })
  runtimeId!: string;

  @Column({ name: 'global_account_id', type: 'varchar', length: 255, default: '' })
  globalAccountId!: string;

  @Column({ name: 'subaccount_id', type: 'varchar', length: 255, default: '' })
  subaccountId!: string;

  @Column({ name: 'service_id', type: 'varchar', length: 255 })
  serviceId!: string;

  @Column({ name: 'plan_id', type: 'varchar', length: 255 })
  planId!: string;

  @Column({ name: 'plan_name', type: 'varchar', length: 64 })
  planName!: string;

  @Column({ name: 'platform_region', type: 'varchar', length: 64 })
  platformRegion!: string;

  @Column({ name: 'provider_region', type: 'varchar', length: 64, default: '' })
  providerRegion!: string;

  @Column({ name: 'provider', type: 'varchar', length: 64, default: '' })
  provider!: string;

  @Column({ name: 'eu_access', type: 'boolean', default: false })
  euAccess!: boolean;

  @Column({ name: 'shoot_name', type: 'varchar', length: 64 })
  shootName!: string;

  @Column({ name: 'parameters', type: 'jsonb', default: () => "'{}'" })
  parameters!: JsonObject;

  @Column({ name: 'context', type: 'jsonb', default: () => "'{}'" })
  context!: JsonObject;

  @Column({ name: 'created_by', type: 'varchar', length: 512, default: '' })
  createdBy!: string;

  @Column({ name: 'dashboard_url', type: 'varchar', length: 1024, default: '' })
  dashboardUrl!: string;

  /** Runtime API server URL, known once the shoot is ready. */
  @Column({ name: 'api_server_url', type: 'varchar', length: 1024, default: '' })
  apiServerUrl!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
