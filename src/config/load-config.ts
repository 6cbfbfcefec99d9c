import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as yaml from 'js-yaml';
import { AppConfig, BindingStrategyName, BrokerProfile } from './app-config';
import { ALL_PLAN_NAMES } from './plan-names';

/** Thrown when a setting is missing or wrong; the message names the variable so an operator can fix it. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;
// The YAML file is untyped input; every value read from it is checked where it is used.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = Record<string, any>;

const DEFAULT_DEV_CLIENT = { clientId: 'local-client', clientSecret: 'local-secret' };
const DEFAULT_DEV_USER = {
  username: 'admin@example.com',
  password: 'local-password',
  email: 'admin@example.com',
  groups: ['runtimeAdmin'],
};

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) {
    return true;
  }
  if (['false', '0', 'no'].includes(raw.toLowerCase())) {
    return false;
  }
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') {
    return undefined;
  }
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function readYaml(path: string | undefined): Yaml {
  if (!path) {
    return {};
  }
  if (!existsSync(path)) {
    throw new ConfigError(`BROKER_CONFIG points to "${path}", which does not exist`);
  }
  const doc = yaml.load(readFileSync(path, 'utf8'));
  if (doc === null || doc === undefined) {
    return {};
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError(`BROKER_CONFIG "${path}" must hold a YAML mapping`);
  }
  return doc;
}

/** Reads a 32-byte AES key given as base64 or 64 hex characters. */
function parseKey(name: string, raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(`${name} must be 32 bytes (base64 or 64 hex characters) for AES-256-GCM`);
  }
  return key;
}

function loadKeys(env: Env, profile: BrokerProfile, dataDir: string): AppConfig['encryption'] {
  const activeKeyId = env.ENCRYPTION_KEY_ID || 'k1';
  const keys: Record<string, Buffer> = {};
  // Older keys stay readable after rotation: ENCRYPTION_OLD_KEYS=id:key,id:key
  for (const entry of list(env.ENCRYPTION_OLD_KEYS) ?? []) {
    const [id, key] = entry.split(':');
    if (!id || !key) {
      throw new ConfigError('ENCRYPTION_OLD_KEYS must be a comma-separated list of <id>:<key>');
    }
    keys[id] = parseKey('ENCRYPTION_OLD_KEYS', key);
  }
  if (env.ENCRYPTION_KEY) {
    keys[activeKeyId] = parseKey('ENCRYPTION_KEY', env.ENCRYPTION_KEY);
  } else if (profile === 'production') {
    throw new ConfigError(
      'ENCRYPTION_KEY is required in the production profile (32 bytes, base64): kubeconfigs are encrypted at rest with it',
    );
  } else {
    // Local profile: one generated key per data directory, so restarts can still read stored bindings.
    const file = join(dataDir, 'encryption.key');
    if (!existsSync(file)) {
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
    }
    keys[activeKeyId] = parseKey(file, readFileSync(file, 'utf8').trim());
  }
  return { activeKeyId, keys };
}

function parseBasicUsers(raw: string | undefined): AppConfig['auth']['basic']['users'] {
  return (list(raw) ?? []).map((entry) => {
    const i = entry.indexOf(':');
    if (i <= 0) {
      throw new ConfigError('OSB_BASIC_AUTH_USERS must be a comma-separated list of <username>:<scrypt hash>');
    }
    const passwordHash = entry.slice(i + 1);
    if (!passwordHash.startsWith('scrypt$')) {
      throw new ConfigError(
        'OSB_BASIC_AUTH_USERS holds password hashes, not passwords: create one with `node dist/cli/hash-password.js <password>`',
      );
    }
    return { username: entry.slice(0, i), passwordHash };
  });
}

export function loadConfig(env: Env = process.env): AppConfig {
  const profileRaw = env.BROKER_PROFILE || 'local';
  if (profileRaw !== 'local' && profileRaw !== 'production') {
    throw new ConfigError(`BROKER_PROFILE must be "local" or "production", got "${profileRaw}"`);
  }
  const profile: BrokerProfile = profileRaw;
  const local = profile === 'local';
  const file = readYaml(env.BROKER_CONFIG);
  const fb: Yaml = file.broker ?? {};
  const fbind: Yaml = file.bindings ?? {};

  const host = env.HOST || (local ? '127.0.0.1' : '0.0.0.0');
  const port = int(env, 'PORT', 8080);
  const dataDir = resolve(env.DATA_DIR || './data');
  mkdirSync(dataDir, { recursive: true });

  const databaseUrl = env.DATABASE_URL || undefined;
  if (!local && !databaseUrl) {
    throw new ConfigError('DATABASE_URL is required in the production profile (postgres://user:pass@host:5432/db)');
  }

  const selfBase = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const issuer = env.AUTH_ISSUER || (local ? `${selfBase}/uaa/oauth/token` : '');
  const jwksUrl = env.AUTH_JWKS_URL || undefined;
  if (!local) {
    for (const [name, value] of [
      ['AUTH_ISSUER', env.AUTH_ISSUER],
      ['AUTH_JWKS_URL', env.AUTH_JWKS_URL],
      ['GARDENER_KUBECONFIG', env.GARDENER_KUBECONFIG],
    ] as const) {
      if (!value) {
        throw new ConfigError(`${name} is required in the production profile`);
      }
    }
  }

  const enabledPlans = list(env.ENABLED_PLANS) ?? (fb.enabledPlans as string[] | undefined) ?? [...ALL_PLAN_NAMES];
  for (const plan of enabledPlans) {
    if (!ALL_PLAN_NAMES.includes(plan)) {
      throw new ConfigError(`ENABLED_PLANS names an unknown plan "${plan}" (known: ${ALL_PLAN_NAMES.join(', ')})`);
    }
  }
  const bindablePlans = list(env.BINDABLE_PLANS) ?? (fbind.bindablePlans as string[] | undefined) ?? ['*'];
  for (const plan of bindablePlans) {
    if (plan !== '*' && !ALL_PLAN_NAMES.includes(plan)) {
      throw new ConfigError(`BINDABLE_PLANS names an unknown plan "${plan}"`);
    }
  }
  const strategy = (env.BINDING_DEFAULT_STRATEGY || fbind.defaultStrategy || 'token_request') as BindingStrategyName;
  if (strategy !== 'token_request' && strategy !== 'adminkubeconfig') {
    throw new ConfigError(
      `BINDING_DEFAULT_STRATEGY must be token_request or adminkubeconfig, got "${String(strategy)}"`,
    );
  }
  const minExp = int(env, 'BINDING_MIN_EXPIRATION_SECONDS', fbind.minExpirationSeconds ?? 600, 1);
  const maxExp = int(env, 'BINDING_MAX_EXPIRATION_SECONDS', fbind.maxExpirationSeconds ?? 7200, 1);
  const defExp = int(env, 'BINDING_DEFAULT_EXPIRATION_SECONDS', fbind.defaultExpirationSeconds ?? 600, 1);
  if (minExp > maxExp || defExp < minExp || defExp > maxExp) {
    throw new ConfigError('binding expiration settings must satisfy min <= default <= max');
  }

  const devClientSecret = env.DEV_CLIENT_SECRET || DEFAULT_DEV_CLIENT.clientSecret;
  const allScopes = ['broker:write', 'runtimes:read', 'provisioning:write'];
  const fileClients = ((file.devIssuer?.clients as Yaml[] | undefined) ?? []).map((c) => ({
    clientId: String(c.clientId),
    clientSecret: String(c.clientSecret),
    scopes: (c.scopes as string[] | undefined) ?? allScopes,
    globalAccountId: String(c.globalAccountId ?? 'local-global-account'),
    subaccountId: String(c.subaccountId ?? `subaccount-${String(c.clientId)}`),
  }));
  const fileUsers = ((file.devIssuer?.users as Yaml[] | undefined) ?? []).map((u) => ({
    username: String(u.username),
    password: String(u.password),
    // A user name that is an e-mail address is its own e-mail (not "alice@example.com@example.com").
    email: String(u.email ?? (String(u.username).includes('@') ? u.username : `${String(u.username)}@example.com`)),
    groups: (u.groups as string[] | undefined) ?? [],
  }));

  const config: AppConfig = {
    profile,
    server: {
      host,
      port,
      bodyLimit: env.BODY_LIMIT || '1mb',
      shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10000),
    },
    dataDir,
    logLevel: env.LOG_LEVEL || 'info',
    database: { url: databaseUrl, poolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1) },
    broker: {
      defaultRequestRegion: env.DEFAULT_REQUEST_REGION || fb.defaultRequestRegion || 'cf-eu10',
      minApiVersion: env.OSB_MIN_API_VERSION || fb.minApiVersion || '2.14',
      enabledPlans,
      maxRawParametersBytes: int(env, 'MAX_RAW_PARAMETERS_BYTES', 64 * 1024, 1),
      regionRequired: bool(env, 'REGION_REQUIRED', fb.regionRequired === true),
    },
    regions: (file.regions as AppConfig['regions'] | undefined) ?? {},
    euAccessPlatformRegions: list(env.EU_ACCESS_PLATFORM_REGIONS) ??
      (file.euAccessPlatformRegions as string[] | undefined) ?? ['cf-eu11', 'cf-ch20', 'cf-eu01', 'cf-eu02'],
    bindings: {
      enabled: bool(env, 'BINDINGS_ENABLED', fbind.enabled ?? true),
      bindablePlans,
      defaultExpirationSeconds: defExp,
      minExpirationSeconds: minExp,
      maxExpirationSeconds: maxExp,
      maxBindingsCount: int(env, 'BINDING_MAX_COUNT', fbind.maxBindingsCount ?? 10, 1),
      createTimeoutMs: int(env, 'BINDING_CREATE_TIMEOUT_MS', fbind.createTimeoutMs ?? 15000, 1),
      defaultStrategy: strategy,
      clusterRoleRules: (fbind.clusterRoleRules as AppConfig['bindings']['clusterRoleRules'] | undefined) ?? [
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      ],
    },
    encryption: loadKeys(env, profile, dataDir),
    auth: {
      issuer,
      jwksUrl,
      audience: env.AUTH_AUDIENCE || (local ? 'kyma-broker' : ''),
      clockToleranceSeconds: int(env, 'AUTH_CLOCK_TOLERANCE_SECONDS', 30),
      scopes: {
        osb: env.AUTH_SCOPE_OSB || 'broker:write',
        runtimesRead: env.AUTH_SCOPE_RUNTIMES_READ || 'runtimes:read',
        provisioning: env.AUTH_SCOPE_PROVISIONING || 'provisioning:write',
      },
      basic: {
        enabled: bool(env, 'OSB_BASIC_AUTH_ENABLED', false),
        users: parseBasicUsers(env.OSB_BASIC_AUTH_USERS),
      },
    },
    devIssuer: {
      enabled: local,
      accessTokenTtlSeconds: int(env, 'DEV_ACCESS_TOKEN_TTL_SECONDS', 43200, 1),
      idTokenTtlSeconds: int(env, 'DEV_ID_TOKEN_TTL_SECONDS', 86400, 1),
      clients: [
        {
          clientId: env.DEV_CLIENT_ID || DEFAULT_DEV_CLIENT.clientId,
          clientSecret: devClientSecret,
          scopes: allScopes,
          globalAccountId: 'local-global-account',
          subaccountId: 'local-subaccount',
        },
        ...fileClients,
      ],
      // Users in the file come in addition to the documented one (as clients do); the file may redefine it.
      users: [...[DEFAULT_DEV_USER].filter((d) => !fileUsers.some((u) => u.username === d.username)), ...fileUsers],
    },
    gardener: {
      kubeconfigPath: env.GARDENER_KUBECONFIG || undefined,
      project: env.GARDENER_PROJECT || 'kyma-dev',
    },
    provisioning: {
      workerIntervalMs: int(env, 'PROVISIONING_WORKER_INTERVAL_MS', 500, 10),
      leaseMs: int(env, 'PROVISIONING_LEASE_MS', 30000, 100),
      stepRetryBaseMs: int(env, 'PROVISIONING_RETRY_BASE_MS', 1000, 1),
      stepRetryMaxMs: int(env, 'PROVISIONING_RETRY_MAX_MS', 60000, 1),
      maxStepAttempts: int(env, 'PROVISIONING_MAX_STEP_ATTEMPTS', 10, 1),
      operationTimeoutMs: int(env, 'PROVISIONING_OPERATION_TIMEOUT_MS', 60 * 60 * 1000, 1),
      shootPollIntervalMs: int(env, 'PROVISIONING_SHOOT_POLL_INTERVAL_MS', 1000, 1),
    },
    simulator: {
      enabled: local && bool(env, 'SIMULATOR_ENABLED', true),
      shootCreateDelayMs: int(env, 'SIMULATOR_SHOOT_CREATE_DELAY_MS', 3000),
      shootDeleteDelayMs: int(env, 'SIMULATOR_SHOOT_DELETE_DELAY_MS', 2000),
    },
    cleanup: {
      enabled: bool(env, 'CLEANUP_ENABLED', true),
      intervalMs: int(env, 'CLEANUP_INTERVAL_MS', 10 * 60 * 1000, 1000),
      dryRun: bool(env, 'CLEANUP_DRY_RUN', false),
      batchSize: int(env, 'CLEANUP_BATCH_SIZE', 500, 1),
      leaseMs: int(env, 'CLEANUP_LEASE_MS', 60_000, 1000),
    },
    runtimesInfo: {
      maxPageSize: int(env, 'RUNTIMES_MAX_PAGE_SIZE', 100, 1),
      countsCompactIntervalMs: int(env, 'RUNTIME_COUNTS_COMPACT_INTERVAL_MS', 30_000, 1000),
    },
    oidc: {
      clientID: env.OIDC_CLIENT_ID || 'kyma-runtime',
      issuerURL: env.OIDC_ISSUER_URL || (local ? `${selfBase}/uaa` : ''),
      groupsClaim: env.OIDC_GROUPS_CLAIM || 'groups',
      usernameClaim: env.OIDC_USERNAME_CLAIM || 'sub',
      usernamePrefix: env.OIDC_USERNAME_PREFIX ?? '-',
      signingAlgs: list(env.OIDC_SIGNING_ALGS) ?? ['RS256'],
    },
  };
  if (!local && !config.auth.audience) {
    throw new ConfigError('AUTH_AUDIENCE is required in the production profile');
  }
  return config;
}
