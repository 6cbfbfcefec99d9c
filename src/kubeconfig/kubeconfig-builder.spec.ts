import * as yaml from 'js-yaml';
import { buildTokenKubeconfig } from './kubeconfig-builder';

describe('buildTokenKubeconfig', () => {
  const input = { name: 'my-runtime', server: 'https://127.0.0.1:6443', caData: 'Q0E=', token: 'eyJ.a.b' };

  it('names cluster, context and user after the runtime and sets the current context', () => {
    const doc = yaml.load(buildTokenKubeconfig(input)) as Record<string, any>;
    expect(doc).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'my-runtime',
      clusters: [
        { name: 'my-runtime', cluster: { 'certificate-authority-data': 'Q0E=', server: 'https://127.0.0.1:6443' } },
      ],
      contexts: [{ name: 'my-runtime', context: { cluster: 'my-runtime', user: 'my-runtime' } }],
      users: [{ name: 'my-runtime', user: { token: 'eyJ.a.b' } }],
    });
  });

  it('quotes names YAML would otherwise reinterpret', () => {
    const doc = yaml.load(buildTokenKubeconfig({ ...input, name: 'yes' })) as Record<string, any>;
    expect(doc['current-context']).toBe('yes');
  });
});
