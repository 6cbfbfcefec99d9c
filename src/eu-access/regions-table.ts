import { RegionsByPlatformRegion } from './default-regions';

/** Thrown at start-up when `regions` in the YAML configuration has the wrong shape. */
export class RegionsConfigError extends Error {}

function checkedList(plan: string, key: string, value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.some((r) => typeof r !== 'string' || r === '')) {
    throw new RegionsConfigError(`regions.${plan}.${key} must be a list of region names`);
  }
  return Object.freeze([...(value as string[])]);
}

/**
 * KEB's defaults with the operator's `regions` override laid over them per plan and per key: a key in the
 * override replaces the same key of the defaults (an empty list withdraws the plan there), other keys stay.
 */
export function mergeRegions(
  defaults: Readonly<Record<string, RegionsByPlatformRegion>>,
  overrides: unknown,
): ReadonlyMap<string, RegionsByPlatformRegion> {
  const merged = new Map<string, RegionsByPlatformRegion>(Object.entries(defaults));
  if (overrides === undefined || overrides === null) {
    return merged;
  }
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new RegionsConfigError('regions must map plan names to {<platform region>|default: [regions]}');
  }
  for (const [plan, byKey] of Object.entries(overrides as Record<string, unknown>)) {
    if (typeof byKey !== 'object' || byKey === null || Array.isArray(byKey)) {
      throw new RegionsConfigError(`regions.${plan} must map platform regions (or default) to lists of regions`);
    }
    const lists = Object.fromEntries(
      Object.entries(byKey as Record<string, unknown>).map(([key, value]) => [key, checkedList(plan, key, value)]),
    );
    merged.set(plan, Object.freeze({ ...merged.get(plan), ...lists }));
  }
  return merged;
}

/** KEB's lookup (PlanSpecifications.Regions): the platform region's own entry, else `default`, else nothing. */
export function lookupRegions(
  table: ReadonlyMap<string, RegionsByPlatformRegion>,
  plan: string,
  platformRegion: string,
): readonly string[] {
  const byKey = table.get(plan);
  if (!byKey) {
    return [];
  }
  return Object.hasOwn(byKey, platformRegion) ? byKey[platformRegion] : (byKey.default ?? []);
}
