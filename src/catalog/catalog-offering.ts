import type { OidcDefaults } from '../config/app-config';
import type { EuAccessPolicy } from '../eu-access/eu-access.policy';
import type { JsonSchema, OsbCatalog, OsbPlan } from './catalog.types';
import type { PlanSpec } from './plans';
import { createSchema, SchemaSettings } from './schema/plan-schemas';
import {
  KYMA_SERVICE_DESCRIPTION,
  KYMA_SERVICE_ID,
  KYMA_SERVICE_METADATA,
  KYMA_SERVICE_NAME,
  KYMA_SERVICE_TAGS,
} from './service-offering';

/** Everything the broker offers in one platform region, computed once and shared. */
export interface RegionalOffering {
  catalog: OsbCatalog;
  /** The catalog serialised once, for callers that send it as is. */
  json: string;
  /** Create schemas of the plans offered here, by plan id. */
  createSchemas: ReadonlyMap<string, JsonSchema>;
  /** Allowed cluster regions of the offered plans, by plan id (empty for trial and own_cluster). */
  regions: ReadonlyMap<string, readonly string[]>;
}

export interface OfferingInputs {
  /** Enabled plans, sorted by name. */
  plans: readonly PlanSpec[];
  updateSchemas: ReadonlyMap<string, JsonSchema>;
  euAccess: EuAccessPolicy;
  settings: SchemaSettings;
  oidcDefaults: OidcDefaults;
  isBindable(planName: string): boolean;
  isUpgradable(planName: string): boolean;
}

/** trial and own_cluster take no region parameter, so KEB always lists them. */
function takesNoRegion(plan: PlanSpec): boolean {
  return plan.schema === 'trial' || plan.schema === 'own_cluster';
}

/** The allowed regions of every enabled plan: two platform regions with equal lists get equal catalogs. */
export function offeringKey(inputs: OfferingInputs, platformRegion: string): string {
  return inputs.plans
    .map((p) => `${p.name}=${inputs.euAccess.allowedRegions(p.name, platformRegion).join(',')}`)
    .join(';');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) {
      deepFreeze(item);
    }
  }
  return value;
}

export function buildOffering(inputs: OfferingInputs, platformRegion: string): RegionalOffering {
  const createSchemas = new Map<string, JsonSchema>();
  const regionsById = new Map<string, readonly string[]>();
  const plans: OsbPlan[] = [];
  for (const plan of inputs.plans) {
    const regions = inputs.euAccess.allowedRegions(plan.name, platformRegion);
    // KEB lists free even with no region left; an empty enum could never validate, so it is left out here.
    if (regions.length === 0 && !takesNoRegion(plan)) {
      continue;
    }
    const create = createSchema(plan, regions, { settings: inputs.settings, oidcDefaults: inputs.oidcDefaults });
    createSchemas.set(plan.id, create);
    regionsById.set(plan.id, regions);
    plans.push({
      id: plan.id,
      name: plan.name,
      description: plan.description,
      metadata: { displayName: plan.displayName },
      bindable: inputs.isBindable(plan.name),
      plan_updateable: inputs.isUpgradable(plan.name),
      schemas: {
        service_instance: {
          create: { parameters: create },
          update: { parameters: inputs.updateSchemas.get(plan.id) ?? {} },
        },
      },
    });
  }
  const catalog: OsbCatalog = {
    services: [
      {
        id: KYMA_SERVICE_ID,
        name: KYMA_SERVICE_NAME,
        description: KYMA_SERVICE_DESCRIPTION,
        // Deliberately unlike KEB (always false): the service is bindable when one of its plans is.
        bindable: plans.some((p) => p.bindable),
        plan_updateable: plans.some((p) => p.plan_updateable),
        instances_retrievable: true,
        // Deliberately unlike KEB: GET of a binding is supported.
        bindings_retrievable: true,
        allow_context_updates: true,
        tags: [...KYMA_SERVICE_TAGS],
        metadata: { ...KYMA_SERVICE_METADATA },
        plans,
      },
    ],
  };
  deepFreeze(catalog);
  return { catalog, json: JSON.stringify(catalog), createSchemas, regions: regionsById };
}
