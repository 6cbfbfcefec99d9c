import type { KubeObject } from './store';
import { badRequest } from './status';

type Requirement = (labels: Record<string, string>) => boolean;

/**
 * Label selectors as kubectl and client libraries send them: `a=b`, `a==b`, `a!=b`, `a`, `!a`,
 * `a in (x,y)`, `a notin (x,y)`, comma-separated (set expressions may contain commas in parentheses).
 */
export function parseLabelSelector(selector: string | null): Requirement[] {
  if (!selector) {
    return [];
  }
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') {
      depth += 1;
    } else if (ch === ')') {
      depth -= 1;
    }
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .map((term): Requirement => {
      let m = /^(\S+?)\s+(in|notin)\s+\((.*)\)$/.exec(term);
      if (m) {
        const [, key, op, values] = m;
        const set = new Set(values.split(',').map((v) => v.trim()));
        return op === 'in' ? (l) => key in l && set.has(l[key]) : (l) => !(key in l) || !set.has(l[key]);
      }
      m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
      if (m) {
        const [, key, op, value] = m;
        return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
      }
      m = /^(!?)([^=!\s()]+)$/.exec(term);
      if (m) {
        const [, not, key] = m;
        return not ? (l) => !(key in l) : (l) => key in l;
      }
      throw badRequest(`unable to parse requirement: invalid label selector "${term}"`);
    });
}

/** Field selectors: only the metadata fields every resource supports. */
export function parseFieldSelector(selector: string | null): Array<(obj: KubeObject) => boolean> {
  if (!selector) {
    return [];
  }
  return selector
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .map((term) => {
      const m = /^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(.*)$/.exec(term);
      if (!m) {
        throw badRequest(
          `"${term.split(/[=!]/)[0]}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
        );
      }
      const [, field, op, value] = m;
      const read = (obj: KubeObject): string =>
        (field === 'metadata.name' ? obj.metadata.name : obj.metadata.namespace) ?? '';
      return op === '!=' ? (obj: KubeObject) => read(obj) !== value : (obj: KubeObject) => read(obj) === value;
    });
}

export function matchesSelectors(
  obj: KubeObject,
  labels: Requirement[],
  fields: Array<(obj: KubeObject) => boolean>,
): boolean {
  const l = obj.metadata.labels ?? {};
  return labels.every((r) => r(l)) && fields.every((f) => f(obj));
}
