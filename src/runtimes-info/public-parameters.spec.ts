import { publicParameters } from './public-parameters';

describe('publicParameters', () => {
  it('keeps ordinary parameters untouched', () => {
    const params = {
      name: 'rt',
      region: 'eu-central-1',
      machineType: 'm6i.large',
      autoScalerMin: 3,
      administrators: ['a@example.com'],
      networking: { nodes: '10.250.0.0/16' },
      modules: { default: true, list: [{ name: 'btp-operator' }] },
    };
    expect(publicParameters(params)).toEqual(params);
  });

  it('removes kubeconfig and targetSecret (as KEB) and kubeconfig at any depth', () => {
    expect(
      publicParameters({
        name: 'rt',
        kubeconfig: 'apiVersion: v1\nusers: [...]',
        targetSecret: 'gardener-secret',
        nested: { KubeConfig: 'x', list: [{ kubeconfig: 'y', keep: 1 }] },
      }),
    ).toEqual({ name: 'rt', nested: { list: [{ keep: 1 }] } });
  });

  it('removes secret-looking OIDC fields, in object and list form', () => {
    const oidc = {
      clientID: 'client',
      issuerURL: 'https://issuer.example.com',
      groupsClaim: 'groups',
      signingAlgs: ['RS256'],
      usernameClaim: 'sub',
      usernamePrefix: '-',
      requiredClaims: ['a=b'],
      encodedJwksArray: 'e30=',
    };
    const secrets = {
      clientSecret: 's3cr3t',
      client_secret: 's3cr3t',
      password: 'p',
      accessToken: 't',
      privateKey: 'k',
      credentials: { user: 'u' },
      apiKey: 'k',
    };
    expect(publicParameters({ oidc: { ...oidc, ...secrets } })).toEqual({ oidc });
    expect(publicParameters({ oidc: { list: [{ ...oidc, ...secrets }] } })).toEqual({ oidc: { list: [oidc] } });
  });

  it('keeps secret-like names outside oidc (only kubeconfig is removed everywhere)', () => {
    expect(publicParameters({ tokenTTL: 5 })).toEqual({ tokenTTL: 5 });
  });

  it('answers an empty object for anything but an object', () => {
    expect(publicParameters(null)).toEqual({});
    expect(publicParameters(['a'])).toEqual({});
    expect(publicParameters('x')).toEqual({});
  });

  it('does not modify its input', () => {
    const params = { kubeconfig: 'k', oidc: { clientSecret: 's' } };
    publicParameters(params);
    expect(params).toEqual({ kubeconfig: 'k', oidc: { clientSecret: 's' } });
  });
});
