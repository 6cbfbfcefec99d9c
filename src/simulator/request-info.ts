/**
 * The attributes kube-apiserver derives from a URL before authorizing it (k8s.io/apiserver's
 * RequestInfoFactory): RBAC rules and Forbidden messages are phrased in exactly these terms.
 */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function verbOf(method: string): string {
  switch (method) {
    case 'POST':
      return 'create';
    case 'GET':
    case 'HEAD':
      return 'get';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return '';
  }
}

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
  };
  let parts = path
    .split('/')
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) {
    return info;
  }
  const prefix = parts[0];
  parts = parts.slice(1);
  if (prefix === 'apis') {
    if (parts.length < 3) {
      return info;
    }
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0];
  parts = parts.slice(1);
  info.verb = verbOf(method);

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1];
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) {
        parts = parts.slice(2);
      }
    }
  }
  if (parts.length >= 3) {
    info.subresource = parts[2];
  }
  if (parts.length >= 2) {
    info.name = parts[1];
  }
  if (parts.length >= 1) {
    info.resource = parts[0];
  }
  if (!info.name && info.verb === 'get') {
    info.verb = query.get('watch') === 'true' || query.get('watch') === '1' ? 'watch' : 'list';
  }
  if (!info.name && info.verb === 'delete') {
    info.verb = 'deletecollection';
  }
  return info;
}
