import type { RequestHandler } from 'express';
import { json, urlencoded } from 'express';

/**
 * A body-parser failure, passed on as is. Nest turns body-parser's own SyntaxError into a bare
 * BadRequestException (losing its type), so the parsers are wrapped and their errors re-typed here; the
 * global filter then answers with a clear OSB error body (invalid JSON 400, too large 413, bad charset 415).
 */
export class BodyParsingError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    readonly expose: boolean,
    message: string,
  ) {
    super(message);
  }
}

function rethrowTyped(parser: RequestHandler): RequestHandler {
  return (req, res, next) =>
    parser(req, res, (err?: unknown) => {
      if (err === undefined || err === null) {
        next();
        return;
      }
      const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
      const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 400;
      next(
        new BodyParsingError(
          typeof e.type === 'string' ? e.type : 'entity.unreadable',
          status,
          e.expose === true,
          typeof e.message === 'string' ? e.message : 'request body cannot be read',
        ),
      );
    });
}

/** Deepest nesting of JSON bodies accepted; request parameters need a handful of levels. */
export const MAX_BODY_DEPTH = 64;

/** Whether arrays/objects nest deeper than `max` levels; iterative, so no depth can overflow the stack. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) {
      continue;
    }
    if (depth > max) {
      return true;
    }
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      pending.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Refuses absurdly nested bodies (400) before anything walks them recursively: Nest's ValidationPipe
 * overflowed the stack on a few thousand levels, which answered 500.
 */
const limitDepth: RequestHandler = (req, _res, next) => {
  if (nestsDeeperThan(req.body, MAX_BODY_DEPTH)) {
    next(new BodyParsingError('entity.too.deep', 400, true, `request body nests deeper than ${MAX_BODY_DEPTH} levels`));
    return;
  }
  next();
};

/** Like KEB, bodies are JSON whatever the Content-Type says, except the form posts of the token endpoint. */
export function bodyParsers(limit: string): RequestHandler[] {
  const isForm = (req: { headers: { 'content-type'?: string } }) =>
    /x-www-form-urlencoded|multipart\//i.test(req.headers['content-type'] ?? '');
  return [
    rethrowTyped(json({ limit, strict: false, type: (req) => !isForm(req) })),
    rethrowTyped(urlencoded({ limit, extended: false })),
    limitDepth,
  ];
}
