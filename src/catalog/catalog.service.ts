import { Inject, Injectable, Optional } from '@nestjs/common';
import { BadRequestError } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EuAccessPolicy } from '../eu-access/eu-access.policy';
import { assertAutoscalerOrder } from './autoscaler-check';
import { CATALOG_OPTIONS, CatalogOptions, DEFAULT_CATALOG_OPTIONS } from './catalog-options';
import { buildOffering, offeringKey, OfferingInputs, RegionalOffering } from './catalog-offering';
import type { JsonSchema, OsbCatalog, ValidatedParameters, ValidatedUpdate } from './catalog.types';
import { PlanUpgradeRules } from './plan-upgrades';
import { PlanSpec, PLANS, SHOOT_PROVIDER_TYPE } from './plans';
import { placeRuntime, withDefaults } from './runtime-placement';
import { updateSchema } from './schema/plan-schemas';
import { KYMA_SERVICE_ID } from './service-offering';
import { isTrialArea } from './trial-placement';
import { jsonTypeOf } from './validation/go-format';
import { pruneToSchema } from './validation/prune';
import { SchemaValidator } from './validation/schema-validator';

/** Platform regions come from URLs: past this many distinct ones the per-region index is rebuilt. */
const MAX_INDEXED_PLATFORM_REGIONS = 512;

function planNotRecognized(planId: string): BadRequestError {
  return new BadRequestError(`plan ID ${JSON.stringify(planId)} is not recognized`);
}

/** OSB parameters must be an object; absent (or null) counts as empty, like KEB's empty raw parameters. */
function asObject(parameters: unknown): Record<string, unknown> {
  if (parameters === undefined || parameters === null) {
    return {};
  }
  if (typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new BadRequestError(
      `while unmarshaling raw parameters: parameters must be a JSON object, got ${jsonTypeOf(parameters)}`,
    );
  }
  return parameters as Record<string, unknown>;
}

/**
 * The OSB catalog (KEB's service and plan ids) and the plans' parameter rules for each platform region:
 * JSON schemas with the EU Access region restrictions, validation with KEB's messages, and defaulting.
 * Catalogs are computed once per distinct set of allowed regions and reused.
 */
@Injectable()
export class CatalogService {
  readonly serviceId = KYMA_SERVICE_ID;

  private readonly options: CatalogOptions;
  private readonly enabledPlans: ReadonlySet<string>;
  private readonly upgrades: PlanUpgradeRules;
  private readonly validator = new SchemaValidator();
  private readonly updateSchemas = new Map<string, JsonSchema>();
  private readonly offeringInputs: OfferingInputs;
  private readonly offeringsByKey = new Map<string, RegionalOffering>();
  private readonly offeringsByRegion = new Map<string, RegionalOffering>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly euAccess: EuAccessPolicy,
    @Optional() @Inject(CATALOG_OPTIONS) options?: Partial<CatalogOptions>,
  ) {
    this.options = { ...DEFAULT_CATALOG_OPTIONS, regionRequired: config.broker.regionRequired, ...options };
    this.enabledPlans = new Set(config.broker.enabledPlans);
    this.upgrades = new PlanUpgradeRules(this.options.enablePlanUpgrades, this.options.upgradableToPlans);
    const inputs = { settings: this.options, oidcDefaults: config.oidc };
    for (const plan of PLANS) {
      // Every known plan, enabled or not: KEB keeps updating instances of plans disabled after provisioning.
      const schema = updateSchema(plan, inputs);
      this.validator.prepare(schema);
      this.updateSchemas.set(plan.id, schema);
    }
    this.offeringInputs = {
      plans: PLANS.filter((p) => this.enabledPlans.has(p.name)).sort((a, b) => (a.name < b.name ? -1 : 1)),
      updateSchemas: this.updateSchemas,
      euAccess,
      settings: this.options,
      oidcDefaults: config.oidc,
      isBindable: (name) => this.isBindable(name),
      isUpgradable: (name) => this.upgrades.isUpgradable(name),
    };
    this.offering(config.broker.defaultRequestRegion);
  }

  /** The OSB catalog for a platform region (a shared, frozen object: do not modify). */
  getCatalog(platformRegion: string): OsbCatalog {
    return this.offering(platformRegion).catalog;
  }

  /** The same catalog, serialised once. */
  getCatalogJson(platformRegion: string): string {
    return this.offering(platformRegion).json;
  }

  /** Any known plan, enabled or not (instances of disabled plans can still be updated and deprovisioned). */
  findPlanById(planId: string): PlanSpec | undefined {
    return PLANS.find((p) => p.id === planId);
  }

  findPlanByName(name: string): PlanSpec | undefined {
    return PLANS.find((p) => p.name === name);
  }

  isPlanEnabled(planName: string): boolean {
    return this.enabledPlans.has(planName);
  }

  /** In this platform region's catalog: enabled and with at least one allowed region (or none needed). */
  isPlanOffered(planId: string, platformRegion: string): boolean {
    return this.offering(platformRegion).createSchemas.has(planId);
  }

  /** Bindings on, plan enabled, and listed in bindings.bindablePlans (`*` = every enabled plan). */
  isBindable(planName: string): boolean {
    const { enabled, bindablePlans } = this.config.bindings;
    return (
      enabled && this.enabledPlans.has(planName) && (bindablePlans.includes('*') || bindablePlans.includes(planName))
    );
  }

  canUpdatePlan(fromPlanName: string, toPlanName: string): boolean {
    return this.upgrades.canChange(fromPlanName, toPlanName);
  }

  /** KEB's refusal of a plan change (400), for callers that want its exact wording. */
  assertPlanChange(fromPlanId: string, toPlanId: string): void {
    const from = this.findPlanById(fromPlanId);
    const to = this.findPlanById(toPlanId);
    if (!from || !to) {
      throw planNotRecognized(from ? toPlanId : fromPlanId);
    }
    if (!this.canUpdatePlan(from.name, to.name)) {
      throw new BadRequestError(
        `plan upgrade from ${from.name} (planID: ${from.id}) to ${to.name} (planID: ${to.id}) is not allowed`,
      );
    }
  }

  /** Validates and normalises provisioning parameters; throws BadRequestError (400) or UnprocessableError (422). */
  validateProvisioning(planId: string, platformRegion: string, parameters: unknown): ValidatedParameters {
    const plan = this.findPlanById(planId);
    if (!plan || !this.enabledPlans.has(plan.name)) {
      throw planNotRecognized(planId);
    }
    const offering = this.offering(platformRegion);
    const schema = offering.createSchemas.get(plan.id);
    if (!schema) {
      // What brokerapi answers before KEB's code runs: the region's catalog does not list the plan.
      throw new BadRequestError('plan-id not in the catalog');
    }
    const raw = asObject(parameters);
    const violation = this.validator.firstViolation(schema, raw);
    if (violation) {
      throw new BadRequestError(`while validating input parameters: ${violation}`);
    }
    const params = pruneToSchema(structuredClone(raw), schema) as Record<string, unknown>;
    if (plan.schema === 'trial' && raw.region !== undefined) {
      // Not in KEB's trial schema, yet KEB accepts an area name there (validateTrialPlanConstraints).
      if (!isTrialArea(raw.region)) {
        throw new BadRequestError('invalid region specified in request for trial');
      }
      params.region = raw.region;
    }
    assertAutoscalerOrder(plan.autoscaler, params);
    const euAccess = this.euAccess.isEuAccess(platformRegion);
    const placement = placeRuntime(plan, params, {
      platformRegion,
      platformProvider: this.euAccess.platformProvider(platformRegion),
      euAccess,
      regions: offering.regions.get(plan.id) ?? [],
      options: this.options,
    });
    return {
      parameters: withDefaults(plan, params, placement),
      providerRegion: placement.providerRegion,
      provider: placement.provider,
      ...(placement.provider !== 'unknown' ? { shootProviderType: SHOOT_PROVIDER_TYPE[placement.provider] } : {}),
      euAccess,
      ...(placement.worker ? { worker: placement.worker } : {}),
    };
  }

  /**
   * Validates update parameters against the plan's update schema (no region: it cannot change). `current`
   * (the instance's stored parameters) lets the autoscaler check see the values the update keeps.
   */
  validateUpdate(
    planId: string,
    _platformRegion: string,
    parameters: unknown,
    current: Record<string, unknown> = {},
  ): ValidatedUpdate {
    const plan = this.findPlanById(planId);
    const schema = plan && this.updateSchemas.get(plan.id);
    if (!plan || !schema) {
      throw planNotRecognized(planId);
    }
    const raw = asObject(parameters);
    const violation = this.validator.firstViolation(schema, raw);
    if (violation) {
      throw new BadRequestError(`while validating update parameters: ${violation}`);
    }
    const params = pruneToSchema(structuredClone(raw), schema) as Record<string, unknown>;
    assertAutoscalerOrder(plan.autoscaler, {
      autoScalerMin: params.autoScalerMin ?? current.autoScalerMin,
      autoScalerMax: params.autoScalerMax ?? current.autoScalerMax,
    });
    return { parameters: params };
  }

  private offering(platformRegion: string): RegionalOffering {
    const indexed = this.offeringsByRegion.get(platformRegion);
    if (indexed) {
      return indexed;
    }
    const key = offeringKey(this.offeringInputs, platformRegion);
    let offering = this.offeringsByKey.get(key);
    if (!offering) {
      offering = buildOffering(this.offeringInputs, platformRegion);
      this.offeringsByKey.set(key, offering);
    }
    if (this.offeringsByRegion.size >= MAX_INDEXED_PLATFORM_REGIONS) {
      // Shared offerings survive in offeringsByKey; only the cheap per-region index starts over.
      this.offeringsByRegion.clear();
    }
    this.offeringsByRegion.set(platformRegion, offering);
    return offering;
  }
}
