import { DEFAULT_CATALOG_OPTIONS } from './catalog-options';
import { PlanUpgradeRules } from './plan-upgrades';

describe('PlanUpgradeRules', () => {
  const table = { aws: ['build-runtime-aws', 'AWS'], trial: ['AWS'], azure: ['azure'] };

  it('allows nothing but keeping the plan while plan upgrades are disabled (KEB default)', () => {
    const rules = new PlanUpgradeRules(false, table);
    expect(rules.canChange('aws', 'aws')).toBe(true);
    expect(rules.canChange('trial', 'aws')).toBe(false);
    expect(rules.isUpgradable('trial')).toBe(false);
  });

  it.each([
    ['trial', 'aws', true],
    ['aws', 'build-runtime-aws', true],
    ['aws', 'trial', false],
    ['azure', 'aws', false],
    ['gcp', 'aws', false],
    ['gcp', 'gcp', true],
  ])('when enabled: %s → %s is %s (targets compared case-insensitively)', (from, to, allowed) => {
    expect(new PlanUpgradeRules(true, table).canChange(from, to)).toBe(allowed);
  });

  it.each([
    ['aws', true],
    ['trial', true],
    // Listing only itself does not make a plan updatable.
    ['azure', false],
    ['gcp', false],
  ])('when enabled: %s upgradable is %s', (plan, expected) => {
    expect(new PlanUpgradeRules(true, table).isUpgradable(plan)).toBe(expected);
  });

  it("with KEB's table only build-runtime plans are targets, so none of this broker's plans can change", () => {
    const rules = new PlanUpgradeRules(true, DEFAULT_CATALOG_OPTIONS.upgradableToPlans);
    const plans = ['aws', 'azure', 'azure_lite', 'gcp', 'sap-converged-cloud', 'trial', 'free', 'preview'];
    for (const from of plans) {
      for (const to of plans.filter((p) => p !== from)) {
        expect(rules.canChange(from, to)).toBe(false);
      }
    }
    expect(rules.isUpgradable('aws')).toBe(true);
  });
});
