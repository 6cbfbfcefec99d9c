import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';

/** RFC 6749 §5.2 error codes, plus UAA's "unauthorized" for failed client or user authentication. */
export type OAuthErrorCode =
  'invalid_request' | 'unauthorized' | 'invalid_grant' | 'invalid_scope' | 'unsupported_grant_type';

/** A token endpoint failure; rendered the OAuth2 way (`{error, error_description}`), not as an OSB error. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly code: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  static badCredentials(): OAuthError {
    return new OAuthError(401, 'unauthorized', 'Bad credentials');
  }
}

/** Controller-scoped on /uaa: OAuth2 clients (curl | jq, kubelogin) expect this body, as from UAA. */
@Catch(OAuthError, BadRequestException)
export class OAuthErrorFilter implements ExceptionFilter {
  catch(exception: OAuthError | BadRequestException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const err =
      exception instanceof OAuthError
        ? exception
        : new OAuthError(400, 'invalid_request', validationMessage(exception));
    if (err.status === 401) {
      res.setHeader('WWW-Authenticate', 'Basic realm="UAA/oauth", error="unauthorized"');
    }
    res.setHeader('Cache-Control', 'no-store');
    res.status(err.status).json({ error: err.code, error_description: err.description });
  }
}

function validationMessage(exception: BadRequestException): string {
  const message = (exception.getResponse() as { message?: unknown }).message;
  if (Array.isArray(message)) {
    return message.join('; ');
  }
  return typeof message === 'string' ? message : exception.message;
}
