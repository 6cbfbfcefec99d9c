import { Inject, Injectable } from '@nestjs/common';
import * as yaml from 'js-yaml';
import { decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
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
    let claims: { iss?: string };
    try {
      claims = decodeJwt(token);
    } catch {
      throw new UnauthorizedError('the bearer token is not a JWT');
    }
    const instance = await this.findRuntime(req);
    const oidc = this.oidcOf(instance);
    if (claims.iss !== oidc.issuerURL) {
      throw new ForbiddenError(
        `runtime ${instance.runtimeId} trusts ID tokens of ${oidc.issuerURL}, not of ${String(claims.iss ?? 'an unnamed issuer')}`,
      );
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
      });
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        throw new UnauthorizedError('the ID token has expired');
      }
      if (err instanceof joseErrors.JWTClaimValidationFailed) {
        throw new UnauthorizedError(`the ID token is not valid for this runtime: ${err.message}`);
      }
      throw new UnauthorizedError('the ID token is not valid');
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
