import { BadRequestError } from '../common/domain-errors';
import { parseOriginatingIdentity } from './originating-identity';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

describe('parseOriginatingIdentity', () => {
  it('reads the Cloud Foundry user_id', () => {
    expect(parseOriginatingIdentity(`cloudfoundry ${b64({ user_id: 'jane' })}`)).toEqual({
      platform: 'cloudfoundry',
      user: 'jane',
    });
  });
  it('reads the Kubernetes username', () => {
    expect(parseOriginatingIdentity(`kubernetes ${b64({ username: 'sa:x', uid: '1', groups: [] })}`)).toEqual({
      platform: 'kubernetes',
      user: 'sa:x',
    });
  });
  it('is absent when the header is', () => {
    expect(parseOriginatingIdentity(undefined)).toBeUndefined();
  });
  it.each(['cloudfoundry', 'cloudfoundry not-base64-json!', `a b c`, `cf ${Buffer.from('[1]').toString('base64')}`])(
    'refuses %s with a 400',
    (header) => {
      expect(() => parseOriginatingIdentity(header)).toThrow(BadRequestError);
    },
  );
});
