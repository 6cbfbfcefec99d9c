import type { PlatformProvider } from '../eu-access/platform-provider';
import type { ShootProviderType } from './plans';

/** A JSON schema document or fragment (draft-04, with KEB's `_`-prefixed form hints). */
export type JsonSchema = Record<string, unknown>;

export interface OsbPlanSchemas {
  service_instance: {
    create: { parameters: JsonSchema };
    update: { parameters: JsonSchema };
  };
}

export interface OsbPlan {
  id: string;
  name: string;
  description: string;
  metadata: { displayName: string };
  /** Always explicit: the service-level default is true when any plan is bindable. */
  bindable: boolean;
  plan_updateable: boolean;
  schemas: OsbPlanSchemas;
}

export interface OsbServiceMetadata {
  displayName: string;
  longDescription: string;
  providerDisplayName: string;
  documentationUrl: string;
  supportUrl: string;
}

export interface OsbService {
  id: string;
  name: string;
  description: string;
  bindable: boolean;
  plan_updateable: boolean;
  instances_retrievable: boolean;
  bindings_retrievable: boolean;
  allow_context_updates: boolean;
  tags: string[];
  metadata: OsbServiceMetadata;
  plans: OsbPlan[];
}

export interface OsbCatalog {
  services: OsbService[];
}

/** Node pool settings the runtime gets: from the parameters where the plan has them, else the plan's defaults. */
export interface WorkerSettings {
  machineType: string;
  autoScalerMin: number;
  autoScalerMax: number;
}

/** A provisioning request's parameters after schema validation, normalisation and defaulting. */
export interface ValidatedParameters {
  /** Declared parameters only (unknown ones dropped, as KEB does), with region/machineType/autoscaler defaults. */
  parameters: Record<string, unknown>;
  /** Cluster region ('' for own_cluster). */
  providerRegion: string;
  /** Hyperscaler of the runtime ('unknown' for own_cluster). */
  provider: PlatformProvider;
  /** Gardener provider type of the shoot; absent for own_cluster. */
  shootProviderType?: ShootProviderType;
  euAccess: boolean;
  /** Absent for own_cluster (no nodes are created). */
  worker?: WorkerSettings;
}

/** An update request's parameters after validation: only what the request sets, so it can be merged. */
export interface ValidatedUpdate {
  parameters: Record<string, unknown>;
}
