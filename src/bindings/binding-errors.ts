import {
  BadRequestError,
  ConflictError,
  DomainError,
  NotFoundError,
  UnprocessableError,
} from '../common/domain-errors';

export class BindingNotSupportedError extends UnprocessableError {
  constructor(message = 'binding is not supported') {
    super(message, 'BindingNotSupported');
  }
}

export class BindingLimitReachedError extends BadRequestError {
  constructor(max: number) {
    super(`maximum number of non expired bindings reached: ${max}`);
  }
}

export class BindingConflictError extends ConflictError {
  constructor() {
    super('binding already exists but with different parameters');
  }
}

export class BindingNotFoundError extends NotFoundError {
  constructor(message = 'Binding not found') {
    super(message);
  }
}

/** The runtime (or Gardener) failed while making or revoking the credential. */
export class BindingBackendError extends DomainError {
  constructor(message: string) {
    super('upstream-failure', message);
  }
}

export class BindingTimeoutError extends DomainError {
  constructor(ms: number) {
    super('unavailable', `request timeout: binding creation exceeded ${ms / 1000}s`);
  }
}
