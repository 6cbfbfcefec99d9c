/**
 * metav1.Status error bodies, shaped exactly as k8s.io/apimachinery's api/errors constructors build
 * them: clients branch on `reason` and `code`, and kubectl prints `message` verbatim.
 */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'AlreadyExists'
  | 'Conflict'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'InternalError'
  | 'ServiceUnavailable';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A group and a plural resource name, as in `clusterroles.rbac.authorization.k8s.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function resourceDetails(gr: GroupResource, name: string): StatusDetails {
  return { ...(name ? { name } : {}), ...(gr.group ? { group: gr.group } : {}), kind: gr.resource };
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, resourceDetails(gr, name));
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError(
    409,
    'AlreadyExists',
    `${qualifiedResource(gr)} "${name}" already exists`,
    resourceDetails(gr, name),
  );
}

export function conflict(gr: GroupResource, name: string, why: string): StatusError {
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`,
    resourceDetails(gr, name),
  );
}

/** apierrors.NewForbidden: an empty group resource gives the bare `forbidden: ...` of non-resource URLs. */
export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  let message: string;
  if (!gr.resource && !gr.group) {
    message = `forbidden: ${why}`;
  } else if (!name) {
    message = `${qualifiedResource(gr)} is forbidden: ${why}`;
  } else {
    message = `${qualifiedResource(gr)} "${name}" is forbidden: ${why}`;
  }
  return new StatusError(403, 'Forbidden', message, resourceDetails(gr, name));
}

export interface FieldError {
  field: string;
  /** The value as Go's field.Invalid prints it (numbers bare, strings quoted). */
  value: string;
  detail: string;
  /** `Required` errors print no value (field.Required). Default `Invalid`. */
  type?: 'Invalid' | 'Required';
}

export function goValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** apierrors.NewInvalid with FieldValueInvalid causes. */
export function invalid(group: string, kind: string, name: string, errors: FieldError[]): StatusError {
  const bodies = errors.map((e) =>
    e.type === 'Required' ? `Required value: ${e.detail}` : `Invalid value: ${e.value}: ${e.detail}`,
  );
  const aggregate = errors.map((e, i) => `${e.field}: ${bodies[i]}`);
  const summary = aggregate.length === 1 ? aggregate[0] : `[${aggregate.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return new StatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    ...(name ? { name } : {}),
    ...(group ? { group } : {}),
    kind,
    causes: errors.map((e, i) => ({
      reason: e.type === 'Required' ? 'FieldValueRequired' : 'FieldValueInvalid',
      message: bodies[i],
      field: e.field,
    })),
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}

export function methodNotSupported(gr: GroupResource, verb: string): StatusError {
  return new StatusError(
    405,
    'MethodNotAllowed',
    `${verb} is not supported on resources of kind "${qualifiedResource(gr)}"`,
    resourceDetails(gr, ''),
  );
}

/** What kube-apiserver answers for a path no handler serves. */
export function pathNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function unsupportedMediaType(contentType: string, accepted: string[]): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] },
  );
}

export function internalError(why: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${why}`, { causes: [{ message: why }] });
}

export function serviceUnavailable(why: string): StatusError {
  return new StatusError(503, 'ServiceUnavailable', why, { retryAfterSeconds: 1 }, { 'Retry-After': '1' });
}

export function successStatus(details: StatusDetails): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
