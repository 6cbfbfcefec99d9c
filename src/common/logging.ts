import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';

/** Paths and keys that must never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.kubeconfig',
  '*.token',
  '*.access_token',
  '*.id_token',
  '*.client_secret',
  '*.password',
];

/** pino-http options: JSON logs, a request id on every line (taken from the caller when given, echoed back). */
export function loggerParams(level: string): Params {
  return {
    pinoHttp: {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-broker-api-request-identity'] ?? req.headers['x-request-id'];
        const id = typeof given === 'string' && given.length > 0 && given.length <= 128 ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        if (req.headers['x-broker-api-request-identity']) {
          res.setHeader('X-Broker-API-Request-Identity', id);
        }
        return id;
      },
      customProps: () => ({ service: 'kyma-broker' }),
      serializers: {
        // Only method and path: query strings and bodies may carry secrets.
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/healthz' || req.url === '/readyz' },
    },
  };
}
