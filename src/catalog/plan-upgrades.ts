/**
 * KEB's plan change rules: a plan may change to the plans listed in its upgradableToPlans (case-insensitive),
 * and only when plan upgrades are enabled at all (broker.enablePlanUpgrades).
 */
export class PlanUpgradeRules {
  constructor(
    private readonly enabled: boolean,
    private readonly targets: Readonly<Record<string, readonly string[]>>,
  ) {}

  /** The catalog's plan_updateable: some other plan is a permitted target. */
  isUpgradable(planName: string): boolean {
    return this.enabled && this.targetsOf(planName).some((target) => target !== planName.toLowerCase());
  }

  /** Keeping the plan is always possible; a change needs the rule table's permission. */
  canChange(fromPlan: string, toPlan: string): boolean {
    if (fromPlan === toPlan) {
      return true;
    }
    return this.enabled && this.targetsOf(fromPlan).includes(toPlan.toLowerCase());
  }

  private targetsOf(planName: string): string[] {
    const targets = Object.hasOwn(this.targets, planName) ? this.targets[planName] : [];
    return targets.map((t) => t.toLowerCase());
  }
}
