import { isRecord, JsonObject } from './json';
import { badRequest } from './status';

/**
 * Just enough of Kubernetes' protobuf encoding to read the bodies kubectl's typed commands send
 * (`auth can-i`, `auth whoami`, `create serviceaccount|token|clusterrolebinding|...`): client-go
 * uses protobuf for built-in types and has no JSON fallback. A body is the magic `k8s\0` followed by
 * a runtime.Unknown {1: TypeMeta{1: apiVersion, 2: kind}, 2: raw object}. Answers are JSON, which
 * kubectl accepts.
 */

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface ProtoField {
  field: number;
  wireType: number;
  /** Varint and fixed values; numbers above 2^53 lose precision (no field we read comes close). */
  number?: number;
  bytes?: Buffer;
}

function readVarint(buf: Buffer, offset: number): { value: number; next: number } {
  let value = 0;
  let multiplier = 1;
  for (let i = offset; i < buf.length && i < offset + 10; i += 1) {
    const byte = buf[i];
    value += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    if ((byte & 0x80) === 0) {
      return { value, next: i + 1 };
    }
  }
  throw badRequest('protobuf: truncated varint');
}

/** Splits one message into its fields (wire types 0, 1, 2 and 5; groups are not used by Kubernetes). */
export function decodeFields(buf: Buffer): ProtoField[] {
  const fields: ProtoField[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const tag = readVarint(buf, offset);
    offset = tag.next;
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    switch (wireType) {
      case 0: {
        const v = readVarint(buf, offset);
        fields.push({ field, wireType, number: v.value });
        offset = v.next;
        break;
      }
      case 1:
        if (offset + 8 > buf.length) {
          throw badRequest('protobuf: truncated fixed64');
        }
        fields.push({ field, wireType, number: Number(buf.readBigUInt64LE(offset)) });
        offset += 8;
        break;
      case 2: {
        const len = readVarint(buf, offset);
        offset = len.next;
        if (offset + len.value > buf.length) {
          throw badRequest('protobuf: truncated length-delimited field');
        }
        fields.push({ field, wireType, bytes: buf.subarray(offset, offset + len.value) });
        offset += len.value;
        break;
      }
      case 5:
        if (offset + 4 > buf.length) {
          throw badRequest('protobuf: truncated fixed32');
        }
        fields.push({ field, wireType, number: buf.readUInt32LE(offset) });
        offset += 4;
        break;
      default:
        throw badRequest(`protobuf: unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

function bytesOf(fields: ProtoField[], field: number): Buffer | undefined {
  // Protobuf semantics: the last occurrence of a non-repeated field wins.
  const found = fields.filter((f) => f.field === field && f.bytes).pop();
  return found?.bytes;
}

function stringOf(fields: ProtoField[], field: number): string | undefined {
  return bytesOf(fields, field)?.toString('utf8');
}

export interface ProtobufEnvelope {
  apiVersion: string;
  kind: string;
  raw: Buffer;
}

export function decodeEnvelope(body: Buffer): ProtobufEnvelope {
  if (body.length < 4 || !body.subarray(0, 4).equals(PROTOBUF_MAGIC)) {
    throw badRequest('protobuf: the body does not start with the Kubernetes magic prefix');
  }
  const unknown = decodeFields(body.subarray(4));
  const typeMeta = decodeFields(bytesOf(unknown, 1) ?? Buffer.alloc(0));
  return {
    apiVersion: stringOf(typeMeta, 1) ?? '',
    kind: stringOf(typeMeta, 2) ?? '',
    raw: bytesOf(unknown, 2) ?? Buffer.alloc(0),
  };
}

type FieldType = 'string' | 'int' | 'bool' | 'stringMap' | Schema;
interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
}
/** A message layout: field number → JSON name and type (from the k8s.io/api generated.proto files). */
type Schema = { [field: number]: FieldSpec };

function decodeMapEntry(buf: Buffer): [string, string] {
  const fields = decodeFields(buf);
  return [stringOf(fields, 1) ?? '', stringOf(fields, 2) ?? ''];
}

/**
 * Decodes a message with a schema. Go's generated marshallers write every non-pointer string even
 * when empty; JSON omits those (omitempty), so empty scalars are dropped to give the JSON shape.
 */
function decodeWith(schema: Schema, buf: Buffer): JsonObject {
  const out: JsonObject = {};
  for (const f of decodeFields(buf)) {
    const spec = schema[f.field];
    if (!spec) {
      continue;
    }
    let value: unknown;
    if (spec.type === 'string') {
      value = f.bytes?.toString('utf8');
    } else if (spec.type === 'int') {
      value = f.number;
    } else if (spec.type === 'bool') {
      value = f.number !== undefined ? f.number !== 0 : undefined;
    } else if (spec.type === 'stringMap') {
      if (f.bytes) {
        const [k, v] = decodeMapEntry(f.bytes);
        const previous = out[spec.name];
        out[spec.name] = { ...(isRecord(previous) ? previous : {}), [k]: v };
      }
      continue;
    } else {
      value = f.bytes ? decodeWith(spec.type, f.bytes) : undefined;
    }
    if (value === undefined) {
      continue;
    }
    if (spec.repeated) {
      out[spec.name] = [...((out[spec.name] as unknown[] | undefined) ?? []), value];
    } else if (value !== '') {
      out[spec.name] = value;
    }
  }
  return out;
}

const OBJECT_META: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  11: { name: 'labels', type: 'stringMap' },
  12: { name: 'annotations', type: 'stringMap' },
  14: { name: 'finalizers', type: 'string', repeated: true },
};
const POLICY_RULE: Schema = {
  1: { name: 'verbs', type: 'string', repeated: true },
  2: { name: 'apiGroups', type: 'string', repeated: true },
  3: { name: 'resources', type: 'string', repeated: true },
  4: { name: 'resourceNames', type: 'string', repeated: true },
  5: { name: 'nonResourceURLs', type: 'string', repeated: true },
};
const SUBJECT: Schema = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'apiGroup', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'namespace', type: 'string' },
};
const ROLE_REF: Schema = {
  1: { name: 'apiGroup', type: 'string' },
  2: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
};
const ROLE: Schema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: { name: 'rules', type: POLICY_RULE, repeated: true },
};
const BINDING: Schema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: { name: 'subjects', type: SUBJECT, repeated: true },
  3: { name: 'roleRef', type: ROLE_REF },
};
const NAMED_REFERENCE: Schema = { 1: { name: 'name', type: 'string' } };
const RESOURCE_ATTRIBUTES: Schema = {
  1: { name: 'namespace', type: 'string' },
  2: { name: 'verb', type: 'string' },
  3: { name: 'group', type: 'string' },
  4: { name: 'version', type: 'string' },
  5: { name: 'resource', type: 'string' },
  6: { name: 'subresource', type: 'string' },
  7: { name: 'name', type: 'string' },
};
const NON_RESOURCE_ATTRIBUTES: Schema = {
  1: { name: 'path', type: 'string' },
  2: { name: 'verb', type: 'string' },
};

/** The kinds kubectl's typed commands send (`create namespace|serviceaccount|token|clusterrole...`, `auth`). */
const SCHEMAS: Record<string, Schema> = {
  Namespace: {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'spec', type: { 1: { name: 'finalizers', type: 'string', repeated: true } } },
  },
  ServiceAccount: {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'secrets', type: NAMED_REFERENCE, repeated: true },
    3: { name: 'imagePullSecrets', type: NAMED_REFERENCE, repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
  TokenRequest: {
    1: { name: 'metadata', type: OBJECT_META },
    2: {
      name: 'spec',
      type: {
        1: { name: 'audiences', type: 'string', repeated: true },
        3: {
          name: 'boundObjectRef',
          type: {
            1: { name: 'kind', type: 'string' },
            2: { name: 'apiVersion', type: 'string' },
            3: { name: 'name', type: 'string' },
            4: { name: 'uid', type: 'string' },
          },
        },
        4: { name: 'expirationSeconds', type: 'int' },
      },
    },
  },
  ClusterRole: ROLE,
  Role: ROLE,
  ClusterRoleBinding: BINDING,
  RoleBinding: BINDING,
  SelfSubjectAccessReview: {
    1: { name: 'metadata', type: OBJECT_META },
    2: {
      name: 'spec',
      type: {
        1: { name: 'resourceAttributes', type: RESOURCE_ATTRIBUTES },
        2: { name: 'nonResourceAttributes', type: NON_RESOURCE_ATTRIBUTES },
      },
    },
  },
  SelfSubjectRulesReview: {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'spec', type: { 1: { name: 'namespace', type: 'string' } } },
  },
  SelfSubjectReview: { 1: { name: 'metadata', type: OBJECT_META } },
};

/** Decodes a protobuf request body into the JSON object it stands for (apiVersion and kind included). */
export function decodeObject(body: Buffer): JsonObject {
  const { apiVersion, kind, raw } = decodeEnvelope(body);
  const schema = SCHEMAS[kind];
  if (!schema) {
    throw badRequest(`protobuf bodies are not supported for ${kind || 'this kind'}; send JSON`);
  }
  return { apiVersion, kind, ...decodeWith(schema, raw) };
}
