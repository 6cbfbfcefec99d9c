import { Column, Entity, PrimaryColumn } from 'typeorm';

export type BindingType = 'token_request' | 'adminkubeconfig';
export type BindingState = 'creating' | 'ready';

/** A kubeconfig credential for one instance. The kubeconfig is stored encrypted (AES-256-GCM). */
@Entity({ name: 'bindings' })
export class BindingEntity {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  @PrimaryColumn({ name: 'binding_id', type: 'varchar', length: 255 })
  bindingId!: string;

  @Column({ name: 'kubeconfig_ciphertext', type: 'text', nullable: true })
  kubeconfigCiphertext!: string | null;

  @Column({ name: 'key_id', type: 'varchar', length: 64, nullable: true })
  keyId!: string | null;

  @Column({ name: 'binding_type', type: 'varchar', length: 32 })
  bindingType!: BindingType;

  @Column({ name: 'expiration_seconds', type: 'integer' })
  expirationSeconds!: number;

  @Column({ name: 'parameters_hash', type: 'varchar', length: 128 })
  parametersHash!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 512, default: '' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'state', type: 'varchar', length: 16 })
  state!: BindingState;
}
