/** Keys under `oidc` that could carry a credential (an OIDC client secret, a token...). */
const SECRET_LIKE_KEY = /secret|passw(or)?d|token|private|credential|api[-_]?key/i;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strip(value: unknown, underOidc: boolean): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => strip(item, underOidc));
  }
  if (!isPlainObject(value)) {
    return value;
  }
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.toLowerCase() === 'kubeconfig' || (underOidc && SECRET_LIKE_KEY.test(key))) {
      continue;
    }
    kept[key] = strip(child, underOidc || key.toLowerCase() === 'oidc');
  }
  return kept;
}

/**
 * The provisioning parameters a runtime listing may show. As KEB does, `kubeconfig` (own_cluster plan)
 * and `targetSecret` never leave the broker; we also drop `kubeconfig` at any depth and secret-looking
 * fields of the OIDC configuration (object or list form), since the listing goes to operators, not owners.
 */
export function publicParameters(parameters: unknown): Record<string, unknown> {
  if (!isPlainObject(parameters)) {
    return {};
  }
  const { targetSecret: _targetSecret, ...rest } = parameters;
  return strip(rest, false) as Record<string, unknown>;
}
