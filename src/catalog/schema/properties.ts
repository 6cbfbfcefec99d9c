import type { OidcDefaults } from '../../config/app-config';
import type { JsonSchema } from '../catalog.types';
import type { AutoscalerSpec } from '../plans';

/**
 * Builders of the provisioning/update schema properties, with KEB's types, bounds, patterns and defaults
 * (internal/broker/plans_schema.go). Descriptions are the broker's own.
 */

export function nameProperty(update: boolean): JsonSchema {
  return {
    type: 'string',
    title: 'Cluster Name',
    description: 'Name of the runtime: letters, digits and hyphens, at most 64 characters.',
    pattern: '^[a-zA-Z0-9-]*$',
    minLength: 1,
    maxLength: 64,
    // KEB's hint for the BTP cockpit: prefill the name from the subaccount subdomain when creating.
    ...(update ? {} : { _BTPdefaultTemplate: { elements: ['saSubdomain'] } }),
  };
}

export function regionProperty(regions: readonly string[]): JsonSchema {
  return {
    type: 'string',
    title: 'Region',
    description: 'Cloud region the cluster runs in. It cannot be changed later.',
    enum: [...regions],
    minLength: 1,
  };
}

export function machineTypeProperty(machineTypes: readonly string[]): JsonSchema {
  return {
    type: 'string',
    title: 'Machine Type',
    description: 'Virtual machine type of the worker nodes.',
    enum: [...machineTypes],
  };
}

export function autoscalerProperty(which: 'min' | 'max', spec: AutoscalerSpec, update: boolean): JsonSchema {
  const fallback = which === 'min' ? spec.defaultMin : spec.defaultMax;
  return {
    type: 'integer',
    description:
      which === 'min'
        ? 'Lowest number of worker nodes the autoscaler keeps.'
        : 'Highest number of worker nodes the autoscaler may create.',
    minimum: spec.minimum,
    maximum: spec.maximum,
    // KEB shows defaults only when creating: an update leaves an omitted value as it is.
    ...(update ? {} : { default: fallback }),
  };
}

const OIDC_CONTROLS_ORDER = [
  'clientID',
  'groupsClaim',
  'issuerURL',
  'signingAlgs',
  'usernameClaim',
  'usernamePrefix',
  'groupsPrefix',
  'requiredClaims',
];

/**
 * KEB's object form of the OIDC configuration (clientID and issuerURL required). Omitted claims fall back to
 * the broker's OIDC defaults, which the create schema shows as defaults.
 */
export function oidcProperty(defaults: OidcDefaults | undefined): JsonSchema {
  const withDefault = (value: unknown): JsonSchema => (defaults ? { default: value } : {});
  return {
    type: 'object',
    description: 'OpenID Connect issuer whose ID tokens the cluster API server accepts.',
    properties: {
      clientID: { type: 'string', description: 'Client ID the ID tokens are issued for.' },
      issuerURL: { type: 'string', description: 'HTTPS URL of the OpenID issuer.' },
      groupsClaim: {
        type: 'string',
        description: 'Claim that holds the groups of the user.',
        ...withDefault(defaults?.groupsClaim),
      },
      groupsPrefix: { type: 'string', description: 'Prefix added to group names; "-" adds none.' },
      usernameClaim: {
        type: 'string',
        description: 'Claim used as the user name.',
        ...withDefault(defaults?.usernameClaim),
      },
      usernamePrefix: {
        type: 'string',
        description: 'Prefix added to user names; "-" adds none.',
        ...withDefault(defaults?.usernamePrefix),
      },
      signingAlgs: {
        type: 'array',
        description: 'Accepted JOSE signing algorithms, for example RS256.',
        items: { type: 'string' },
        ...withDefault(defaults ? [...defaults.signingAlgs] : undefined),
      },
      requiredClaims: {
        type: 'array',
        description: 'key=value pairs that must be present in the ID token.',
        items: { type: 'string', pattern: '^[^=]+=[^=]+$' },
      },
    },
    required: ['clientID', 'issuerURL'],
    _controlsOrder: OIDC_CONTROLS_ORDER,
  };
}

export function administratorsProperty(): JsonSchema {
  return {
    type: 'array',
    title: 'Administrators',
    description: 'Users who get cluster-admin rights in the runtime.',
    items: { type: 'string' },
  };
}

/** KEB's default CIDRs (internal/networking/cidr.go). */
const NETWORK_DEFAULTS = { nodes: '10.250.0.0/16', pods: '10.96.0.0/13', services: '10.104.0.0/13' };

export function networkingProperty(): JsonSchema {
  const cidr = (title: string, value: string): JsonSchema => ({
    type: 'string',
    title,
    description: `${title}; must not overlap the other ranges.`,
    default: value,
  });
  return {
    type: 'object',
    description: 'Network ranges of the cluster. They are fixed at creation and cannot be updated.',
    properties: {
      nodes: cidr('CIDR range for Nodes', NETWORK_DEFAULTS.nodes),
      services: cidr('CIDR range for Services', NETWORK_DEFAULTS.services),
      pods: cidr('CIDR range for Pods', NETWORK_DEFAULTS.pods),
    },
    required: ['nodes'],
  };
}

const CHANNELS = ['regular', 'fast'];

/** Either the default modules (optionally on another channel) or an explicit list, as in KEB. */
export function modulesProperty(defaultChannel: string): JsonSchema {
  return {
    type: 'object',
    description: 'Kyma modules to install: the default set, or your own list (an empty list installs none).',
    oneOf: [
      {
        type: 'object',
        title: 'Default',
        description: 'Default modules',
        additionalProperties: false,
        properties: {
          default: { type: 'boolean', title: 'Use Default', default: true, readOnly: true },
          channel: { type: 'string', title: 'Default Module Channel', enum: CHANNELS, default: defaultChannel },
        },
        _controlsOrder: ['default', 'channel'],
      },
      {
        type: 'object',
        title: 'Custom',
        description: 'Custom module list',
        additionalProperties: false,
        properties: {
          channel: { type: 'string', title: 'Default Module Channel', enum: CHANNELS, default: defaultChannel },
          list: {
            type: 'array',
            uniqueItems: true,
            description: 'Modules by technical name, each at most once.',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                name: { type: 'string', title: 'Name', minLength: 1 },
                channel: { type: 'string', enum: ['', ...CHANNELS], default: '' },
                customResourcePolicy: { type: 'string', enum: ['', 'CreateAndDelete', 'Ignore'], default: '' },
              },
              _controlsOrder: ['name', 'channel', 'customResourcePolicy'],
            },
          },
        },
        _controlsOrder: ['channel', 'list'],
      },
    ],
  };
}

export function colocateControlPlaneProperty(): JsonSchema {
  return {
    type: 'boolean',
    title: 'Colocate control plane and worker nodes in the same region',
    description: 'Place the control plane in the selected region too; provisioning fails where that is impossible.',
    default: false,
  };
}

export function ingressFilteringProperty(): JsonSchema {
  return {
    type: 'boolean',
    title: 'Enable ingress geo-blocking',
    description: 'Block ingress traffic from embargoed countries.',
    default: false,
  };
}

export function kubeconfigProperty(): JsonSchema {
  return { type: 'string', title: 'Kubeconfig contents', description: 'Kubeconfig of the cluster to install Kyma on.' };
}

export function shootNameProperty(): JsonSchema {
  return { type: 'string', title: 'Shoot name', pattern: '^[a-zA-Z0-9-]*$', minLength: 1 };
}

export function shootDomainProperty(): JsonSchema {
  return { type: 'string', title: 'Shoot domain', pattern: '^[a-zA-Z0-9-\\.]*$', minLength: 1 };
}
