import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

const tmp = () => mkdtempSync(join(tmpdir(), 'kbt-config-'));

describe('loadConfig', () => {
  it('defaults to the local profile on 127.0.0.1:8080 with the embedded database', () => {
    const config = loadConfig({ DATA_DIR: tmp() });
    expect(config.profile).toBe('local');
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(config.database.url).toBeUndefined();
    expect(config.broker.defaultRequestRegion).toBe('cf-eu10');
    expect(config.bindings).toMatchObject({
      defaultExpirationSeconds: 600,
      minExpirationSeconds: 600,
      maxExpirationSeconds: 7200,
      maxBindingsCount: 10,
      defaultStrategy: 'token_request',
    });
    expect(config.devIssuer.clients[0]).toMatchObject({ clientId: 'local-client', clientSecret: 'local-secret' });
  });

  it('adds dev users from the YAML file to the documented one, which the file may redefine', () => {
    const dir = tmp();
    const file = join(dir, 'broker.yaml');
    writeFileSync(
      file,
      'devIssuer:\n  users:\n    - { username: dev@example.com, password: dev }\n    - { username: bob, password: b }\n',
    );
    expect(loadConfig({ DATA_DIR: dir }).devIssuer.users.map((u) => u.username)).toEqual(['admin@example.com']);
    expect(loadConfig({ DATA_DIR: dir, BROKER_CONFIG: file }).devIssuer.users).toEqual([
      {
        username: 'admin@example.com',
        password: 'local-password',
        email: 'admin@example.com',
        groups: ['runtimeAdmin'],
      },
      { username: 'dev@example.com', password: 'dev', email: 'dev@example.com', groups: [] },
      { username: 'bob', password: 'b', email: 'bob@example.com', groups: [] },
    ]);
    writeFileSync(file, 'devIssuer:\n  users:\n    - { username: admin@example.com, password: changed }\n');
    expect(loadConfig({ DATA_DIR: dir, BROKER_CONFIG: file }).devIssuer.users).toEqual([
      { username: 'admin@example.com', password: 'changed', email: 'admin@example.com', groups: [] },
    ]);
  });

  it('keeps the generated local encryption key across restarts', () => {
    const dir = tmp();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.encryption.keys.k1.equals(second.encryption.keys.k1)).toBe(true);
    expect(first.encryption.keys.k1).toHaveLength(32);
  });

  const prod = {
    DATABASE_URL: 'postgres://x',
    AUTH_ISSUER: 'https://issuer',
    AUTH_JWKS_URL: 'https://issuer/keys',
    GARDENER_KUBECONFIG: '/etc/gardener/kubeconfig',
    ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
  };
  const without = (name: keyof typeof prod) => Object.fromEntries(Object.entries(prod).filter(([k]) => k !== name));
  it.each(Object.keys(prod).map((name) => [without(name as keyof typeof prod), name]))(
    'production refuses to start without a required setting (%#: %s)',
    (env, missing) => {
      expect(() => loadConfig({ BROKER_PROFILE: 'production', DATA_DIR: tmp(), ...env })).toThrow(
        new RegExp(`^${missing} `),
      );
    },
  );

  it('names the variable of a wrong value', () => {
    expect(() => loadConfig({ DATA_DIR: tmp(), PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tmp(), PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATA_DIR: tmp(), BROKER_PROFILE: 'staging' })).toThrow(/BROKER_PROFILE/);
    expect(() => loadConfig({ DATA_DIR: tmp(), ENABLED_PLANS: 'aws,moon' })).toThrow(/ENABLED_PLANS.*moon/);
    expect(() => loadConfig({ DATA_DIR: tmp(), ENCRYPTION_KEY: 'short' })).toThrow(/ENCRYPTION_KEY/);
  });

  it('reads catalog and binding settings from the YAML file', () => {
    const dir = tmp();
    const file = join(dir, 'broker.yaml');
    writeFileSync(
      file,
      'broker:\n  defaultRequestRegion: cf-us10\nbindings:\n  maxBindingsCount: 3\n  bindablePlans: [aws]\nregions:\n  aws:\n    default: [eu-central-1]\n',
    );
    const config = loadConfig({ DATA_DIR: dir, BROKER_CONFIG: file });
    expect(config.broker.defaultRequestRegion).toBe('cf-us10');
    expect(config.bindings.maxBindingsCount).toBe(3);
    expect(config.bindings.bindablePlans).toEqual(['aws']);
    expect(config.regions).toEqual({ aws: { default: ['eu-central-1'] } });
  });

  it('refuses a missing YAML file with its name', () => {
    expect(() => loadConfig({ DATA_DIR: tmp(), BROKER_CONFIG: '/nope/broker.yaml' })).toThrow(/BROKER_CONFIG.*\/nope/);
  });
});
