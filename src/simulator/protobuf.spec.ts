import { decodeEnvelope, decodeFields, decodeObject, PROTOBUF_MAGIC } from './protobuf';
import { StatusError } from './status';

/** Request bodies captured from kubectl v1.32.4 (`auth can-i`, `auth can-i --list`, `auth whoami`, `create ...`). */
const CAPTURED = {
  canICreateToken:
    '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a65637441636365737352657669657712530a100a0012001a0022002a0032003800420012350a330a0b6b796d612d73797374656d12066372656174651a0022002a0f736572766963656163636f756e747332003a05746f6b656e1a08080012001a0020001a002200',
  canIList:
    '6b3873000a310a17617574686f72697a6174696f6e2e6b38732e696f2f7631121653656c665375626a65637452756c657352657669657712270a100a0012001a0022002a00320038004200120d0a0b6b796d612d73797374656d1a04180022001a002200',
  whoami:
    '6b3873000a2d0a1861757468656e7469636174696f6e2e6b38732e696f2f7631121153656c665375626a656374526576696577121a0a100a0012001a0022002a0032003800420012060a040a0012001a002200',
  canIGetHealthz:
    '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374416363657373526576696577122f0a100a0012001a0022002a003200380042001211120f0a082f6865616c74687a12036765741a08080012001a0020001a002200',
  createServiceAccount:
    '6b3873000a140a027631120e536572766963654163636f756e74121a0a180a017812001a0764656661756c7422002a003200380042001a002200',
  createToken:
    '6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e5265717565737412220a100a0012001a0022002a0032003800420012080a03612c622084071a040a0012001a002200',
  createRoleBinding:
    '6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b526f6c6542696e64696e67129c010a190a02726212001a0764656661756c7422002a0032003800420012260a04557365721219726261632e617574686f72697a6174696f6e2e6b38732e696f1a0175220012270a0547726f75701219726261632e617574686f72697a6174696f6e2e6b38732e696f1a016722001a2e0a19726261632e617574686f72697a6174696f6e2e6b38732e696f120b436c7573746572526f6c651a04766965771a002200',
};

const bytes = (hex: string) => Buffer.from(hex, 'hex');

describe('Kubernetes protobuf request bodies', () => {
  it('reads the runtime.Unknown envelope (type meta and raw object)', () => {
    const envelope = decodeEnvelope(bytes(CAPTURED.canIList));
    expect(envelope.apiVersion).toBe('authorization.k8s.io/v1');
    expect(envelope.kind).toBe('SelfSubjectRulesReview');
    expect(envelope.raw.length).toBe(0x27);
  });

  it('decodes the SelfSubjectAccessReview of `kubectl auth can-i create serviceaccounts/token -n kyma-system`', () => {
    expect(decodeObject(bytes(CAPTURED.canICreateToken))).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: {
        resourceAttributes: { namespace: 'kyma-system', verb: 'create', resource: 'serviceaccounts', name: 'token' },
      },
    });
  });

  it('decodes non-resource attributes, rules reviews and whoami', () => {
    expect(decodeObject(bytes(CAPTURED.canIGetHealthz)).spec).toEqual({
      nonResourceAttributes: { path: '/healthz', verb: 'get' },
    });
    expect(decodeObject(bytes(CAPTURED.canIList)).spec).toEqual({ namespace: 'kyma-system' });
    expect(decodeObject(bytes(CAPTURED.whoami))).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      metadata: {},
    });
  });

  it("decodes the objects kubectl's typed create commands send", () => {
    expect(decodeObject(bytes(CAPTURED.createServiceAccount))).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'x', namespace: 'default' },
    });
    expect(decodeObject(bytes(CAPTURED.createToken)).spec).toEqual({ audiences: ['a,b'], expirationSeconds: 900 });
    expect(decodeObject(bytes(CAPTURED.createRoleBinding))).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb', namespace: 'default' },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'u' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'g' },
      ],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    });
  });

  it('decodes a hand-built body with labels (map entries) and a multi-byte varint', () => {
    const field = (num: number, payload: Buffer) =>
      Buffer.concat([Buffer.from([(num << 3) | 2, payload.length]), payload]);
    const str = (num: number, s: string) => field(num, Buffer.from(s));
    const label = field(11, Buffer.concat([str(1, 'app'), str(2, 'web')]));
    const metadata = field(1, Buffer.concat([str(1, 'team-a'), label]));
    const spec = field(2, Buffer.concat([str(1, 'api'), Buffer.from([0x20, 0x90, 0x1c])])); // expirationSeconds 3600
    const typeMeta = field(1, Buffer.concat([str(1, 'authentication.k8s.io/v1'), str(2, 'TokenRequest')]));
    const body = Buffer.concat([PROTOBUF_MAGIC, typeMeta, field(2, Buffer.concat([metadata, spec]))]);
    expect(decodeObject(body)).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { name: 'team-a', labels: { app: 'web' } },
      spec: { audiences: ['api'], expirationSeconds: 3600 },
    });
  });

  it('refuses bodies without the magic prefix, truncated ones and unknown kinds with 400', () => {
    const failures = [
      () => decodeObject(Buffer.from('{"kind":"x"}')),
      () => decodeObject(bytes(CAPTURED.canIList).subarray(0, 20)),
      () => decodeFields(Buffer.from([0x08, 0x80])),
      () => decodeObject(Buffer.concat([PROTOBUF_MAGIC, Buffer.from('0a0c0a0276311206536563726574', 'hex')])),
    ];
    for (const fail of failures) {
      let error: unknown;
      try {
        fail();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(StatusError);
      expect((error as StatusError).code).toBe(400);
    }
  });
});
