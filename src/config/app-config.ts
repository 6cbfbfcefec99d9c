/** The whole typed configuration of the broker. Built once at start-up by `loadConfig`. */
export type BrokerProfile = 'local' | 'production';
export type BindingStrategyName = 'token_request' | 'adminkubeconfig';

export interface DevClientConfig {
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** Tenancy claims put into the client's tokens (Provisioning Service façade). */
  globalAccountId: string;
  subaccountId: string;
}

export interface DevUserConfig {
  username: string;
  password: string;
  email: string;
  groups: string[];
}

export interface BasicAuthUser {
  username: string;
  /** `scrypt$<salt b64>$<hash b64>` (see auth/password-hash.ts). */
  passwordHash: string;
}

export interface OidcDefaults {
  clientID: string;
  issuerURL: string;
  groupsClaim: string;
  usernameClaim: string;
  usernamePrefix: string;
  signingAlgs: string[];
}

export interface AppConfig {
  profile: BrokerProfile;
  server: { host: string; port: number; bodyLimit: string; shutdownGraceMs: number };
  dataDir: string;
  logLevel: string;
  /** When unset in the local profile, an embedded PGlite database in DATA_DIR is served on a loopback socket. */
  database: { url?: string; poolSize: number };
  broker: {
    defaultRequestRegion: string;
    /** Lowest X-Broker-API-Version minor (major must be 2). */
    minApiVersion: string;
    enabledPlans: string[];
    /** Raw `parameters` of a provisioning request above this many bytes are refused. */
    maxRawParametersBytes: number;
    /**
     * Whether provisioning requires `parameters.region` (KEB since #90). Off by default: a request without
     * one gets the first cluster region allowed for the plan in the platform region (cf-ch20 → switzerlandnorth).
     */
    regionRequired: boolean;
  };
  /** Per plan: platform region (or `default`) → allowed cluster regions. Overrides merge over KEB's defaults. */
  regions: Record<string, Record<string, string[]>>;
  euAccessPlatformRegions: string[];
  bindings: {
    enabled: boolean;
    /** Plan names that may be bound; `['*']` = every enabled plan. */
    bindablePlans: string[];
    defaultExpirationSeconds: number;
    minExpirationSeconds: number;
    maxExpirationSeconds: number;
    maxBindingsCount: number;
    createTimeoutMs: number;
    defaultStrategy: BindingStrategyName;
    clusterRoleRules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
  };
  encryption: { activeKeyId: string; keys: Record<string, Buffer> };
  auth: {
    issuer: string;
    jwksUrl?: string;
    audience: string;
    clockToleranceSeconds: number;
    scopes: { osb: string; runtimesRead: string; provisioning: string };
    basic: { enabled: boolean; users: BasicAuthUser[] };
  };
  devIssuer: {
    enabled: boolean;
    accessTokenTtlSeconds: number;
    idTokenTtlSeconds: number;
    clients: DevClientConfig[];
    users: DevUserConfig[];
  };
  gardener: { kubeconfigPath?: string; project: string };
  provisioning: {
    workerIntervalMs: number;
    leaseMs: number;
    stepRetryBaseMs: number;
    stepRetryMaxMs: number;
    maxStepAttempts: number;
    operationTimeoutMs: number;
    shootPollIntervalMs: number;
  };
  simulator: { enabled: boolean; shootCreateDelayMs: number; shootDeleteDelayMs: number };
  /** `leaseMs`: a run's claim on the job, renewed per batch; a replica killed mid-run is taken over after it. */
  cleanup: { enabled: boolean; intervalMs: number; dryRun: boolean; batchSize: number; leaseMs: number };
  /** countsCompactIntervalMs: how often the per-key changes of `runtime_counts` are folded (see RuntimeCountsCompactor). */
  runtimesInfo: { maxPageSize: number; countsCompactIntervalMs: number };
  oidc: OidcDefaults;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
