/**
 * The Kyma offering as the Provisioning Service API sees it, read from the broker's OSB catalog for one
 * platform region (the catalog module owns plans, ids and schemas; this only narrows its JSON).
 */
export const KYMA_ENVIRONMENT_TYPE = 'kyma';
export const KYMA_SERVICE_NAME = 'kymaruntime';

export interface OfferedPlan {
  id: string;
  name: string;
  description: string;
  updatable: boolean;
  /** OSB `schemas.service_instance.create` / `.update` (`{parameters: <JSON schema>}`), when the catalog has them. */
  createSchema?: unknown;
  updateSchema?: unknown;
}

export interface KymaOffering {
  serviceId: string;
  serviceName: string;
  description: string;
  metadata: Record<string, unknown>;
  plans: OfferedPlan[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Picks the kymaruntime service (or the only service) out of an OSB catalog `{services: [...]}`. */
export function kymaOfferingOf(catalog: unknown): KymaOffering {
  const services = isObject(catalog) && Array.isArray(catalog.services) ? catalog.services.filter(isObject) : [];
  const service =
    services.find((s) => s.name === KYMA_SERVICE_NAME) ?? (services.length === 1 ? services[0] : undefined);
  if (!service) {
    throw new Error(`the broker catalog has no ${KYMA_SERVICE_NAME} service`);
  }
  const serviceUpdatable = service.plan_updateable === true;
  const plans = (Array.isArray(service.plans) ? service.plans : []).filter(isObject).map((plan): OfferedPlan => {
    const instanceSchemas =
      isObject(plan.schemas) && isObject(plan.schemas.service_instance) ? plan.schemas.service_instance : {};
    return {
      id: str(plan.id),
      name: str(plan.name),
      description: str(plan.description),
      updatable: typeof plan.plan_updateable === 'boolean' ? plan.plan_updateable : serviceUpdatable,
      createSchema: isObject(instanceSchemas.create) ? instanceSchemas.create : undefined,
      updateSchema: isObject(instanceSchemas.update) ? instanceSchemas.update : undefined,
    };
  });
  return {
    serviceId: str(service.id),
    serviceName: str(service.name) || KYMA_SERVICE_NAME,
    description: str(service.description),
    metadata: isObject(service.metadata) ? service.metadata : {},
    plans,
  };
}
