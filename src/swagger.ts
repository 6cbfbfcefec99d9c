import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { ParameterObject, ReferenceObject } from '@nestjs/swagger';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** How the {region} of /oauth/{region}/v2/... is documented wherever it appears. */
const REGION_PARAMETER: ParameterObject = {
  name: 'region',
  in: 'path',
  required: true,
  description:
    'SAP BTP platform region the request comes from. It decides the plans offered and their cluster regions; ' +
    'EU Access regions (by default cf-eu11, cf-ch20, cf-eu01, cf-eu02) allow only their own cluster regions. ' +
    '/oauth/v2/... uses broker.defaultRequestRegion instead.',
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$', example: 'cf-eu10' },
  examples: {
    'cf-eu10': { summary: 'AWS, Europe (Frankfurt)', value: 'cf-eu10' },
    'cf-eu11': { summary: 'AWS, Europe (Frankfurt), EU Access: eu-central-1 only', value: 'cf-eu11' },
    'cf-ch20': { summary: 'Azure, Switzerland (Zurich), EU Access: switzerlandnorth only', value: 'cf-ch20' },
    'cf-us10': { summary: 'AWS, US East (VA)', value: 'cf-us10' },
  },
};

function isParameter(p: ParameterObject | ReferenceObject): p is ParameterObject {
  return 'in' in p;
}

/**
 * Controllers mounted on several prefixes (/oauth/v2 and /oauth/{region}/v2) share their decorators, so
 * @nestjs/swagger gives every copy of a route the same parameters and numbered operation ids
 * (`X[0]`, `X[1]`). OpenAPI wants path parameters to be in the path and required, and Swagger UI
 * shows whatever is listed, so each copy gets exactly the path parameters of its own template, and
 * a readable, unique operation id.
 */
export function normalizeMountedRoutes(document: OpenAPIObject): OpenAPIObject {
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) {
        continue;
      }
      op.parameters = op.parameters
        ?.filter((p) => !isParameter(p) || p.in !== 'path' || path.includes(`{${p.name}}`))
        .map((p) => {
          if (!isParameter(p) || p.in !== 'path') {
            return p;
          }
          return p.name === 'region' ? REGION_PARAMETER : { ...p, required: true };
        });
      if (op.operationId) {
        const numbered = /^(.*)\[(\d+)\]$/.exec(op.operationId);
        let id = numbered ? `${numbered[1]}${path.includes('{region}') ? 'InRegion' : ''}` : op.operationId;
        for (let n = 2; seen.has(id); n++) {
          id = `${numbered ? numbered[1] : op.operationId}_${n}`;
        }
        seen.add(id);
        op.operationId = id;
      }
    }
  }
  return document;
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('kyma-broker-ts')
    .setDescription(
      'Open Service Broker for Kyma runtimes: OSB API under /oauth/v2 and /oauth/{region}/v2, kubeconfig bindings, ' +
        '/info/runtimes, the Provisioning Service façade and the kubeconfig generator.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addBasicAuth({ type: 'http', scheme: 'basic' }, 'basic')
    .build();
  return normalizeMountedRoutes(
    SwaggerModule.createDocument(app, config, {
      operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
    }),
  );
}

/** Swagger UI at /swagger, JSON at /swagger/json. */
export function setupSwagger(app: INestApplication): OpenAPIObject {
  const document = buildOpenApi(app);
  SwaggerModule.setup('swagger', app, document, {
    jsonDocumentUrl: 'swagger/json',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
  return document;
}
