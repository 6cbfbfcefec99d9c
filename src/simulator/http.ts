import type { IncomingMessage, ServerResponse } from 'node:http';
import { load } from 'js-yaml';
import { decodeObject } from './protobuf';
import { badRequest, StatusError, unsupportedMediaType } from './status';

/** Bodies above this are refused as kube-apiserver does (its limit is 3 MiB). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const JSON_TYPE = 'application/json';
export const PROTOBUF_TYPE = 'application/vnd.kubernetes.protobuf';

/** Reads the whole body; always drains it so a keep-alive connection stays usable after an error. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        return;
      }
      if (!tooLarge) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (tooLarge) {
        reject(new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', reject);
  });
}

/** The media type of a request body, without parameters, lower-cased. */
export function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

/** Parses a JSON body (an empty body is an error: every write verb needs an object). */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) {
    throw badRequest('the body of the request was empty');
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw badRequest(`the object provided is unrecognized: ${(err as Error).message}`);
  }
}

/** Accepts JSON (also unlabelled) and YAML, as kube-apiserver does; anything else is 415. */
export function parseJsonBody(req: IncomingMessage, body: Buffer): unknown {
  const type = mediaType(req);
  if (type === 'application/yaml') {
    try {
      return load(body.toString('utf8'));
    } catch (err) {
      throw badRequest(`the object provided is unrecognized: ${(err as Error).message}`);
    }
  }
  if (type && type !== JSON_TYPE && type !== '*/*') {
    throw unsupportedMediaType(type, [JSON_TYPE, 'application/yaml', PROTOBUF_TYPE]);
  }
  return parseJson(body);
}

/** A create/update body: JSON, or protobuf for the built-in kinds kubectl's typed commands send. */
export function parseObjectBody(req: IncomingMessage, body: Buffer): unknown {
  return mediaType(req) === PROTOBUF_TYPE ? decodeObject(body) : parseJsonBody(req, body);
}

/** kubectl asks for `application/json;as=Table;v=v1;g=meta.k8s.io` when it wants server-side columns. */
export function wantsTable(req: IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? '');
  return accept.split(',').some((part) => /;\s*as=Table/.test(part) && /;\s*g=meta\.k8s\.io/.test(part));
}

/** Every answer is JSON with an explicit length, so keep-alive connections are reused, never closed. */
export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(code, {
    'Content-Type': JSON_TYPE,
    'Content-Length': String(payload.length),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(payload);
}

export function sendStatusError(res: ServerResponse, err: StatusError): void {
  sendJson(res, err.code, err.toStatus(), err.headers);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) {
    return undefined;
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

export function queryOf(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'https://simulator.invalid').searchParams;
}

export function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'https://simulator.invalid').pathname;
}
