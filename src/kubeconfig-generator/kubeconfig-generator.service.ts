import { Inject, Injectable } from '@nestjs/common';
import * as yaml from 'js-yaml';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  UnauthorizedError,
} from '../common/domain-errors';
import { RuntimeAccess } from '../gardener/runtime-access';
import { InstanceEntity } from '../persistence/instance.entity';
import { InstanceRepository } from '../provisioning/instance.repository';
import { buildTokenKubeconfig } from '../kubeconfig/kubeconfig-builder';
import { OidcKeySets } from './oidc-key-sets';

export interface KubeconfigRequest {
  bearer?: string;
  runtimeId?: string;
  instanceId?: string;
  format?: string;
}

interface RuntimeOidc {
  issuerURL: string;
  clientID: string;
  signingAlgs: string[];
}

/**
 * The kubeconfig generator (seed 004): a user's OIDC ID token, checked against the runtime's own OIDC
 * settings, becomes a kubeconfig for that runtime carrying that very token (or, with format=exec, a
 * kubelogin exec plugin for refreshable logins). The broker grants nothing: the runtime's RBAC decides.
 */
@Injectable()
export class KubeconfigGeneratorService {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly access: RuntimeAccess,
    private readonly keySets: OidcKeySets,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async generate(req: KubeconfigRequest): Promise<string> {
    if (req.format !== undefined && req.format !== 'token' && req.format !== 'exec') {
      throw new BadRequestError('format must be "token" or "exec"');
    }
    const token = req.bearer;
    if (!token) {
      throw new UnauthorizedError('an OIDC ID token is required: Authorization: Bearer <ID token>');
    }
    const claims = signedJwtClaims(token);
    const instance = await this.findRuntime(req);
    const oidc = this.oidcOf(instance);
    if (claims.iss !== oidc.issuerURL) {
      const given =
        typeof claims.iss === 'string' && claims.iss !== '' ? claims.iss.slice(0, 256) : 'an unnamed issuer';
      throw new ForbiddenError(`runtime ${instance.runtimeId} trusts ID tokens of ${oidc.issuerURL}, not of ${given}`);
    }
    await this.verify(token, oidc);
    if (!instance.apiServerUrl) {
      throw new NotFoundError(`runtime ${instance.runtimeId} is not ready yet`);
    }
    const { caData } = await this.access.connection(instance).catch(() => {
      throw new ServiceUnavailableError(`the API server of runtime ${instance.runtimeId} cannot be reached right now`);
    });
    const name = typeof instance.parameters.name === 'string' ? instance.parameters.name : instance.shootName;
    if (req.format === 'exec') {
      return this.execKubeconfig(name, instance.apiServerUrl, caData, oidc);
    }
    return buildTokenKubeconfig({ name, server: instance.apiServerUrl, caData, token });
  }

  private async findRuntime(req: KubeconfigRequest): Promise<InstanceEntity> {
    if (!req.runtimeId && !req.instanceId) {
      throw new BadRequestError('runtime_id (or instance_id) is required');
    }
    const instance = req.runtimeId
      ? await this.instances.findByRuntimeId(req.runtimeId)
      : await this.instances.find(req.instanceId ?? '');
    if (!instance || instance.deletedAt) {
      throw new NotFoundError(`runtime ${req.runtimeId ?? req.instanceId} not found`);
    }
    return instance;
  }

  private oidcOf(instance: InstanceEntity): RuntimeOidc {
    const given = (instance.parameters.oidc ?? {}) as Partial<RuntimeOidc>;
    return {
      issuerURL: given.issuerURL ?? this.config.oidc.issuerURL,
      clientID: given.clientID ?? this.config.oidc.clientID,
      signingAlgs: given.signingAlgs ?? this.config.oidc.signingAlgs,
    };
  }

  private async verify(token: string, oidc: RuntimeOidc): Promise<void> {
    let keys;
    try {
      keys = await this.keySets.keysOf(oidc.issuerURL);
    } catch {
      throw new ServiceUnavailableError(`the OIDC issuer ${oidc.issuerURL} cannot be reached to check the token`);
    }
    try {
      await jwtVerify(token, keys, {
        issuer: oidc.issuerURL,
        audience: oidc.clientID,
        algorithms: oidc.signingAlgs,
        currentDate: this.clock.now(),
        clockTolerance: this.config.auth.clockToleranceSeconds,
        // Like kube-apiserver: a kubeconfig "valid as long as the token" needs a token that ends.
        requiredClaims: ['exp'],
      });
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        throw new UnauthorizedError('the ID token has expired');
      }
      if (err instanceof joseErrors.JWTClaimValidationFailed) {
        throw new UnauthorizedError(`the ID token is not valid for this runtime: ${err.message}`);
      }
      if (err instanceof joseErrors.JWKSTimeout || !(err instanceof joseErrors.JOSEError)) {
        // The issuer's key set could not be fetched (network, not the token's fault).
        throw new ServiceUnavailableError(`the OIDC issuer ${oidc.issuerURL} cannot be reached to check the token`);
      }
      throw new UnauthorizedError('the ID token is not valid (signature or algorithm)');
    }
  }

  private execKubeconfig(name: string, server: string, caData: string, oidc: RuntimeOidc): string {
    return yaml.dump(
      {
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': name,
        clusters: [{ name, cluster: { 'certificate-authority-data': caData, server } }],
        contexts: [{ name, context: { cluster: name, user: name } }],
        users: [
          {
            name,
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1beta1',
                command: 'kubectl',
                args: [
                  'oidc-login',
                  'get-token',
                  `--oidc-issuer-url=${oidc.issuerURL}`,
                  `--oidc-client-id=${oidc.clientID}`,
                  '--oidc-extra-scope=email',
                  '--oidc-extra-scope=openid',
                ],
                interactiveMode: 'IfAvailable',
              },
            },
          },
        ],
      },
      { lineWidth: -1, noRefs: true },
    );
  }
}

/**
 * The claims of a token that at least looks like a signed JWT (JWS compact form with an algorithm other
 * than "none" and a signature), checked before the runtime is looked up so garbage is a 401 whatever
 * else the request gets wrong. The signature itself is verified once the runtime's issuer is known.
 */
function signedJwtClaims(token: string): { iss?: unknown } {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[2] === '') {
    throw new UnauthorizedError('the bearer token is not a signed JWT (an OIDC ID token is expected)');
  }
  let alg: unknown;
  let claims: { iss?: unknown };
  try {
    alg = decodeProtectedHeader(token).alg;
    claims = decodeJwt(token);
  } catch {
    throw new UnauthorizedError('the bearer token is not a signed JWT (an OIDC ID token is expected)');
  }
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none') {
    throw new UnauthorizedError('unsigned tokens (alg "none") are not accepted');
  }
  return claims;
}
