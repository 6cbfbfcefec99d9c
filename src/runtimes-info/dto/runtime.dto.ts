import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RUNTIME_STATES, RuntimeState } from '../runtime-state';

const INSTANCE_ID = '5f9a1c2e-7b3d-4e6f-8a9b-0c1d2e3f4a5b';

/** One operation of a runtime, with KEB's keys (common/runtime/model.go `Operation`). */
export class RuntimeOperationDto {
  @ApiProperty({
    description: 'Operation state',
    enum: ['pending', 'in progress', 'succeeded', 'failed'],
    example: 'succeeded',
  })
  state!: string;

  @ApiProperty({ description: 'Operation type', enum: ['provision', 'update', 'deprovision'], example: 'provision' })
  type!: string;

  @ApiProperty({ description: 'Progress or outcome, for humans', example: 'Operation succeeded' })
  description!: string;

  @ApiProperty({ description: 'When the operation was accepted', example: '2026-03-02T10:15:00.000Z' })
  createdAt!: string;

  @ApiProperty({ description: 'When the operation last changed', example: '2026-03-02T10:32:41.000Z' })
  updatedAt!: string;

  @ApiProperty({
    description: 'Operation id (as answered by the OSB API)',
    example: '8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a',
  })
  operationID!: string;
}

/** Newest operations of one type, with KEB's keys (`OperationsData`). */
export class RuntimeOperationsPageDto {
  @ApiProperty({ description: 'Newest first, at most 2 (as KEB)', type: [RuntimeOperationDto] })
  data!: RuntimeOperationDto[];

  @ApiProperty({ description: 'Number of operations in data', example: 1 })
  count!: number;

  @ApiProperty({ description: 'Number of operations of this type the runtime had', example: 1 })
  totalCount!: number;
}

export class RuntimeStatusDto {
  @ApiProperty({ description: 'When the instance was created', example: '2026-03-02T10:15:00.000Z' })
  createdAt!: string;

  @ApiProperty({
    description: 'When the last operation changed (the instance update time if it has none)',
    example: '2026-03-02T10:32:41.000Z',
  })
  modifiedAt!: string;

  @ApiPropertyOptional({ description: 'When the runtime was deprovisioned', example: '2026-04-01T08:00:00.000Z' })
  deletedAt?: string;

  @ApiProperty({
    description:
      'Derived from the last operation as KEB does: succeeded, failed (provision/deprovision failed), error (update ' +
      'failed), provisioning, updating, deprovisioning, deprovisioned',
    enum: RUNTIME_STATES,
    example: 'succeeded',
  })
  state!: RuntimeState;

  @ApiPropertyOptional({ description: 'The provisioning operation', type: RuntimeOperationDto })
  provisioning?: RuntimeOperationDto;

  @ApiPropertyOptional({ description: 'The newest deprovisioning operation', type: RuntimeOperationDto })
  deprovisioning?: RuntimeOperationDto;

  @ApiPropertyOptional({ description: 'The newest update operations', type: RuntimeOperationsPageDto })
  update?: RuntimeOperationsPageDto;
}

/** A runtime (service instance) with KEB's keys (`RuntimeDTO`), plus euAccess. */
export class RuntimeDto {
  @ApiProperty({ description: 'Service instance id', example: INSTANCE_ID })
  instanceID!: string;

  @ApiProperty({ description: 'Runtime id', example: 'b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e' })
  runtimeID!: string;

  @ApiProperty({ description: 'Global account id', example: '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b' })
  globalAccountID!: string;

  @ApiProperty({ description: 'Subaccount id', example: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d' })
  subAccountID!: string;

  @ApiProperty({ description: 'Cloud provider region of the cluster', example: 'eu-central-1' })
  region!: string;

  @ApiProperty({ description: 'SAP BTP platform region of the subaccount', example: 'cf-eu10' })
  subAccountRegion!: string;

  @ApiProperty({ description: 'Gardener shoot name', example: 'c-1a2b3c4' })
  shootName!: string;

  @ApiProperty({ description: 'Service id', example: '47c9dcbf-ff30-448e-ab36-d3bad66ba281' })
  serviceClassID!: string;

  @ApiProperty({ description: 'Service name', example: 'kymaruntime' })
  serviceClassName!: string;

  @ApiProperty({ description: 'Plan id', example: '361c511f-f939-4621-b228-d0fb79a1fe15' })
  servicePlanID!: string;

  @ApiProperty({ description: 'Plan name', example: 'aws' })
  servicePlanName!: string;

  @ApiProperty({ description: 'Cloud provider', example: 'AWS' })
  provider!: string;

  @ApiProperty({
    description:
      'Provisioning parameters without secrets (kubeconfig, targetSecret and secret-like OIDC fields removed)',
    type: 'object',
    additionalProperties: true,
    example: { name: 'my-runtime', region: 'eu-central-1', machineType: 'm6i.large' },
  })
  parameters!: Record<string, unknown>;

  @ApiProperty({ type: RuntimeStatusDto })
  status!: RuntimeStatusDto;

  @ApiProperty({ description: 'Who created the instance', example: 'jane.doe@example.com' })
  userID!: string;

  @ApiProperty({ description: 'Whether EU Access restrictions apply (our addition to KEB)', example: false })
  euAccess!: boolean;
}

export class RuntimesPageDto {
  @ApiProperty({ description: 'The page, oldest runtime first', type: [RuntimeDto] })
  data!: RuntimeDto[];

  @ApiProperty({ description: 'Number of runtimes in data', example: 1 })
  count!: number;

  @ApiProperty({ description: 'Number of runtimes matching the filters, on all pages', example: 1 })
  totalCount!: number;

  @ApiPropertyOptional({
    description:
      'Present when the page is full: pass it as `cursor` (with the same filters and page_size) for the next page. ' +
      'Our addition to KEB: unlike a page number, a cursor costs the same however deep the page is, and rows ' +
      'added or removed meanwhile neither shift nor repeat the rows that follow.',
    example: 'WyIyMDI2LTAxLTAxVDAwOjAwOjAwLjAwMDAwMFoiLCI1ZjlhMWMyZSJd',
  })
  nextCursor?: string;
}
