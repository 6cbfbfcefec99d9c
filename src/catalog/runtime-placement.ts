import type { PlatformProvider } from '../eu-access/platform-provider';
import type { CatalogOptions } from './catalog-options';
import type { WorkerSettings } from './catalog.types';
import { Hyperscaler, PlanSpec, SINGLE_NODE_MACHINE } from './plans';
import { isTrialArea, trialRegion } from './trial-placement';

export interface PlacementContext {
  platformRegion: string;
  platformProvider: PlatformProvider;
  euAccess: boolean;
  /** Allowed cluster regions of the plan in this platform region. */
  regions: readonly string[];
  options: Pick<CatalogOptions, 'trialProvider' | 'trialAreas'>;
}

export interface Placement {
  provider: Hyperscaler | 'unknown';
  providerRegion: string;
  worker?: WorkerSettings;
}

/** The hyperscaler a plan's runtime lands on; undefined for own_cluster. */
export function hyperscalerOf(plan: PlanSpec, ctx: PlacementContext): Hyperscaler | undefined {
  switch (plan.placement) {
    case 'platform-provider':
      // KEB's free plan: Azure subaccounts get Azure, every other platform region AWS.
      return ctx.platformProvider === 'azure' ? 'azure' : 'aws';
    case 'trial-provider':
      return ctx.options.trialProvider;
    case 'customer-cluster':
      return undefined;
    case 'aws':
    case 'azure':
    case 'gcp':
    case 'sap-converged-cloud':
      return plan.placement;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function workerOf(plan: PlanSpec, hyperscaler: Hyperscaler, params: Record<string, unknown>): WorkerSettings {
  if (plan.autoscaler) {
    return {
      machineType: str(params.machineType) ?? plan.machineTypes[0],
      autoScalerMin: int(params.autoScalerMin) ?? plan.autoscaler.defaultMin,
      autoScalerMax: int(params.autoScalerMax) ?? plan.autoscaler.defaultMax,
    };
  }
  // trial and free: one small node, KEB's *TrialInputProvider / *FreemiumInputProvider.
  return { machineType: SINGLE_NODE_MACHINE[hyperscaler] ?? '', autoScalerMin: 1, autoScalerMax: 1 };
}

/**
 * Where and on what the runtime runs. The region is the requested one, else the first allowed one (KEB's
 * per-provider defaults are the first entries of its lists: eu-central-1, eastus, europe-west3, and the EU
 * Access regions); trial regions follow KEB's trial rules; own_cluster has none.
 */
export function placeRuntime(plan: PlanSpec, params: Record<string, unknown>, ctx: PlacementContext): Placement {
  const hyperscaler = hyperscalerOf(plan, ctx);
  if (!hyperscaler) {
    return { provider: 'unknown', providerRegion: '' };
  }
  const providerRegion =
    plan.schema === 'trial'
      ? trialRegion(
          ctx.options.trialProvider,
          ctx.platformRegion,
          ctx.euAccess,
          isTrialArea(params.region) ? params.region : undefined,
          ctx.options.trialAreas,
        )
      : (str(params.region) ?? ctx.regions[0] ?? '');
  return { provider: hyperscaler, providerRegion, worker: workerOf(plan, hyperscaler, params) };
}

/** The stored parameters: what was asked for plus the defaults the schema declares for this plan. */
export function withDefaults(
  plan: PlanSpec,
  params: Record<string, unknown>,
  placement: Placement,
): Record<string, unknown> {
  const filled = { ...params };
  if ((plan.schema === 'hyperscaler' || plan.schema === 'free') && filled.region === undefined) {
    filled.region = placement.providerRegion;
  }
  if (plan.schema === 'hyperscaler' && placement.worker) {
    filled.machineType ??= placement.worker.machineType;
    filled.autoScalerMin ??= placement.worker.autoScalerMin;
    filled.autoScalerMax ??= placement.worker.autoScalerMax;
  }
  return filled;
}
