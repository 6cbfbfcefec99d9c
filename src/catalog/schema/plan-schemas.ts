import type { OidcDefaults } from '../../config/app-config';
import type { CatalogOptions } from '../catalog-options';
import type { JsonSchema } from '../catalog.types';
import type { PlanSpec } from '../plans';
import {
  administratorsProperty,
  autoscalerProperty,
  colocateControlPlaneProperty,
  ingressFilteringProperty,
  kubeconfigProperty,
  machineTypeProperty,
  modulesProperty,
  nameProperty,
  networkingProperty,
  oidcProperty,
  regionProperty,
  shootDomainProperty,
  shootNameProperty,
} from './properties';

export const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

/** KEB's form order (DefaultControlsOrder), filtered to the properties a schema has. */
const CONTROLS_ORDER = [
  'name',
  'kubeconfig',
  'shootName',
  'shootDomain',
  'region',
  'colocateControlPlane',
  'machineType',
  'autoScalerMin',
  'autoScalerMax',
  'modules',
  'networking',
  'oidc',
  'administrators',
  'ingressFiltering',
];

export type SchemaSettings = Pick<
  CatalogOptions,
  'regionRequired' | 'rejectUnsupportedParameters' | 'defaultModuleChannel'
>;

export interface SchemaInputs {
  settings: SchemaSettings;
  oidcDefaults: OidcDefaults;
}

function root(properties: Record<string, JsonSchema>, required: string[], settings: SchemaSettings): JsonSchema {
  return {
    $schema: DRAFT_04,
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    ...(settings.rejectUnsupportedParameters ? { additionalProperties: false } : {}),
    _show_form_view: true,
    _controlsOrder: CONTROLS_ORDER.filter((name) => name in properties),
    _load_current_config: true,
  };
}

function workerProperties(plan: PlanSpec, update: boolean): Record<string, JsonSchema> {
  const properties: Record<string, JsonSchema> = {};
  if (plan.machineTypes.length > 0) {
    properties.machineType = machineTypeProperty(plan.machineTypes);
  }
  if (plan.autoscaler) {
    properties.autoScalerMin = autoscalerProperty('min', plan.autoscaler, update);
    properties.autoScalerMax = autoscalerProperty('max', plan.autoscaler, update);
  }
  return properties;
}

/** Schema of `parameters` when provisioning `plan` where `regions` are the allowed cluster regions. */
export function createSchema(plan: PlanSpec, regions: readonly string[], inputs: SchemaInputs): JsonSchema {
  const { settings } = inputs;
  const name = nameProperty(false);
  const modules = modulesProperty(settings.defaultModuleChannel);
  const access = { oidc: oidcProperty(inputs.oidcDefaults), administrators: administratorsProperty() };
  const regionRequired = settings.regionRequired ? ['region'] : [];
  switch (plan.schema) {
    case 'hyperscaler':
      return root(
        {
          name,
          region: regionProperty(regions),
          ...workerProperties(plan, false),
          ...access,
          networking: networkingProperty(),
          modules,
          colocateControlPlane: colocateControlPlaneProperty(),
          ...(plan.ingressFiltering ? { ingressFiltering: ingressFilteringProperty() } : {}),
        },
        ['name', ...regionRequired],
        settings,
      );
    case 'free':
      return root(
        { name, region: regionProperty(regions), ...access, networking: networkingProperty(), modules },
        ['name', ...regionRequired],
        settings,
      );
    case 'trial':
      return root({ name, ...access, modules }, ['name'], settings);
    case 'own_cluster':
      return root(
        {
          name,
          kubeconfig: kubeconfigProperty(),
          shootName: shootNameProperty(),
          shootDomain: shootDomainProperty(),
          modules,
        },
        ['name', 'kubeconfig', 'shootName', 'shootDomain'],
        settings,
      );
  }
}

/**
 * Schema of `parameters` when updating: KEB's updatable subset (name, machine type, autoscaler, OIDC,
 * administrators, ...) without defaults and without required properties; region, networking and modules are
 * fixed at creation.
 */
export function updateSchema(plan: PlanSpec, inputs: SchemaInputs): JsonSchema {
  const { settings } = inputs;
  const name = nameProperty(true);
  const access = { oidc: oidcProperty(undefined), administrators: administratorsProperty() };
  switch (plan.schema) {
    case 'hyperscaler':
      return root(
        {
          name,
          ...workerProperties(plan, true),
          ...access,
          ...(plan.ingressFiltering ? { ingressFiltering: ingressFilteringProperty() } : {}),
        },
        [],
        settings,
      );
    case 'free':
    case 'trial':
      return root({ name, ...access }, [], settings);
    case 'own_cluster':
      return root({ name, kubeconfig: kubeconfigProperty() }, [], settings);
  }
}
