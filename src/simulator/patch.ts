import { isRecord } from './json';
import { badRequest, StatusError } from './status';

/** RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) {
    return structuredClone(patch);
  }
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
    throw badRequest(`invalid JSON pointer "${String(path)}"`);
  }
  return path === ''
    ? []
    : path
        .slice(1)
        .split('/')
        .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function patchFailed(message: string): StatusError {
  // kube-apiserver reports JSON patch application errors as 422 Invalid without field causes.
  return new StatusError(422, 'Invalid', message);
}

function parentOf(doc: unknown, tokens: string[], op: string): { parent: unknown; key: string } {
  let parent = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(parent)) {
      parent = parent[Number(token)];
    } else if (isRecord(parent)) {
      parent = parent[token];
    } else {
      parent = undefined;
    }
    if (parent === undefined) {
      throw patchFailed(`${op} operation does not apply: doc is missing path: /${tokens.join('/')}: missing value`);
    }
  }
  return { parent, key: tokens[tokens.length - 1] };
}

function getAt(doc: unknown, tokens: string[]): unknown {
  let current = doc;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      current = current[Number(token)];
    } else if (isRecord(current)) {
      current = current[token];
    } else {
      return undefined;
    }
  }
  return current;
}

function add(doc: unknown, tokens: string[], value: unknown, op: string): unknown {
  if (tokens.length === 0) {
    return structuredClone(value);
  }
  const { parent, key } = parentOf(doc, tokens, op);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) {
      throw patchFailed(`${op} operation does not apply: index out of bounds: ${key}`);
    }
    parent.splice(index, 0, structuredClone(value));
  } else if (isRecord(parent)) {
    parent[key] = structuredClone(value);
  } else {
    throw patchFailed(`${op} operation does not apply: doc is missing path: /${tokens.join('/')}`);
  }
  return doc;
}

function remove(doc: unknown, tokens: string[], op: string): unknown {
  const { parent, key } = parentOf(doc, tokens, op);
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length) {
      throw patchFailed(`${op} operation does not apply: doc is missing path: /${tokens.join('/')}`);
    }
    parent.splice(index, 1);
  } else if (isRecord(parent) && key in parent) {
    delete parent[key];
  } else {
    throw patchFailed(`${op} operation does not apply: doc is missing path: /${tokens.join('/')}: missing value`);
  }
  return doc;
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test) applied to a copy of the document. */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw badRequest('json patch must be an array of operations');
  }
  let doc = structuredClone(target);
  for (const raw of operations) {
    if (!isRecord(raw)) {
      throw badRequest('json patch operations must be objects');
    }
    const op = String(raw.op);
    const tokens = pointer(raw.path);
    switch (op) {
      case 'add':
        doc = add(doc, tokens, raw.value, op);
        break;
      case 'remove':
        doc = remove(doc, tokens, op);
        break;
      case 'replace':
        doc = add(remove(doc, tokens, op), tokens, raw.value, op);
        break;
      case 'move': {
        const from = pointer(raw.from);
        const value = getAt(doc, from);
        doc = add(remove(doc, from, op), tokens, value, op);
        break;
      }
      case 'copy':
        doc = add(doc, tokens, getAt(doc, pointer(raw.from)), op);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, tokens)) !== JSON.stringify(raw.value)) {
          throw patchFailed(`testing value /${tokens.join('/')} failed: test failed`);
        }
        break;
      default:
        throw badRequest(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}
