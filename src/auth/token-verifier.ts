import { errors, JWTVerifyGetKey, jwtVerify } from 'jose';
import { Clock } from '../common/clock';
import { ServiceUnavailableError, UnauthorizedError } from '../common/domain-errors';
import { Principal, principalFromClaims } from './principal';

/** Where the keys come from: the issuer's JWKS (remote, cached by jose) or the dev issuer's own key set. */
export const ACCESS_TOKEN_KEYS = Symbol('ACCESS_TOKEN_KEYS');

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
}

/** Asymmetric only: an HS* token "signed" with our public key, or alg none, must never pass. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'];

/**
 * Verifies OAuth2 access tokens (JWT): signature against the key set, issuer, audience, exp/nbf with
 * the configured tolerance, measured on the injected clock. Errors say what failed, never the token.
 */
export class TokenVerifier {
  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly options: TokenVerifierOptions,
    private readonly clock: Clock,
  ) {}

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: this.options.clockToleranceSeconds,
        currentDate: this.clock.now(),
        // A token without exp would be valid forever.
        requiredClaims: ['exp'],
      });
      return principalFromClaims(payload);
    } catch (err) {
      throw translate(err);
    }
  }
}

function translate(err: unknown): Error {
  if (err instanceof errors.JWTExpired) {
    return new UnauthorizedError('the bearer token has expired');
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    // jose's messages name the claim ("unexpected "iss" claim value"), not its value.
    return new UnauthorizedError(`the bearer token is not accepted: ${err.message}`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return new UnauthorizedError('the bearer token is not signed with an accepted algorithm (RS256, ES256)');
  }
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) {
    return new UnauthorizedError('the bearer token signature is not valid');
  }
  // The issuer's key endpoint failing is our problem, not the caller's: 503 lets the platform retry.
  if (isKeyFetchFailure(err)) {
    return new ServiceUnavailableError('the token issuer keys cannot be fetched right now');
  }
  return new UnauthorizedError('the bearer token is not a valid JWT');
}

function isKeyFetchFailure(err: unknown): boolean {
  return (
    err instanceof errors.JWKSTimeout ||
    err instanceof errors.JWKSInvalid ||
    // jose throws the bare base class only for a JWKS response that is not 200 or not JSON.
    (err instanceof errors.JOSEError && err.constructor === errors.JOSEError) ||
    // undici's network failure (connection refused, DNS).
    (err instanceof TypeError && err.message === 'fetch failed')
  );
}
