import { BadRequestError } from '../common/domain-errors';
import { ALL_STATES, HIDDEN_BY_DEFAULT, RUNTIME_STATES, RuntimeState } from './runtime-state';

/** Repeatable filters: query parameter (KEB's names, plus platform_region) → field of RuntimesFilter. */
export const FILTER_PARAMS = {
  account: 'globalAccountIds',
  subaccount: 'subaccountIds',
  instance_id: 'instanceIds',
  runtime_id: 'runtimeIds',
  region: 'providerRegions',
  shoot: 'shootNames',
  plan: 'planNames',
  platform_region: 'platformRegions',
} as const;
type FilterField = (typeof FILTER_PARAMS)[keyof typeof FILTER_PARAMS];

/** `only`: the last operation implies one of these states; `except`: none of them; `any`: no state filter. */
export type StateFilter =
  { kind: 'only'; states: RuntimeState[] } | { kind: 'except'; states: RuntimeState[] } | { kind: 'any' };

/** Empty lists filter nothing; several values of one filter are alternatives (OR), filters combine with AND. */
export type RuntimesFilter = Record<FilterField, string[]> & { state: StateFilter };

/** The query object as express' extended parser builds it; only these parameters are read. */
export type RawRuntimesQuery = Partial<
  Record<'page' | 'page_size' | 'cursor' | 'state' | keyof typeof FILTER_PARAMS, unknown>
>;

/** A row's place in the listing's order: created_at to the microsecond (ISO 8601, UTC) and instance id. */
export interface ListingPosition {
  createdAt: string;
  instanceId: string;
}

/** The page after a given row (`cursor`, our addition), or page number `page` (KEB's paging). */
export type PageRequest = { after: ListingPosition } | { page: number };

export interface RuntimesQuery {
  start: PageRequest;
  pageSize: number;
  filter: RuntimesFilter;
}

const CURSOR_CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * An instant PostgreSQL accepts: ISO 8601 in UTC with microseconds, a year from 1, and a real calendar day
 * (Date.parse takes 2026-02-30 as 2 March, hence the round trip).
 */
function isRealInstant(value: string): boolean {
  if (!CURSOR_CREATED_AT.test(value) || value.startsWith('0000')) {
    return false;
  }
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 23) === value.slice(0, 23);
}

/** The cursor a page hands out for the page after it: opaque to clients, base64url of JSON. */
export function encodeCursor(position: ListingPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.instanceId])).toString('base64url');
}

function decodeCursor(raw: unknown): ListingPosition {
  const values = valuesOf(raw, 'cursor has to be a string');
  if (values?.length !== 1) {
    throw invalid('cursor has to be one parameter');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(values[0], 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    typeof decoded[0] !== 'string' ||
    !isRealInstant(decoded[0]) ||
    typeof decoded[1] !== 'string' ||
    decoded[1].length === 0 ||
    decoded[1].length > 255 ||
    decoded[1].includes('\u0000')
  ) {
    throw invalid('cursor is not one this API handed out (take it from nextCursor)');
  }
  return { createdAt: decoded[0], instanceId: decoded[1] };
}

const STATE_VALUES: readonly string[] = [...RUNTIME_STATES, ALL_STATES];

/** Same prefix as KEB's 400 answers of /runtimes. */
function invalid(message: string): BadRequestError {
  return new BadRequestError(`while getting query parameters: ${message}`);
}

/**
 * The values of one parameter as express' extended (qs) parser delivers them: a string once, an array
 * when repeated, and an object with index keys past 20 repeats or for `name[3]=`. Anything else (such
 * as `name[key]=`) is refused rather than guessed at.
 */
function valuesOf(raw: unknown, invalidMessage: string): string[] | undefined {
  if (raw === undefined) {
    return undefined;
  }
  if (typeof raw === 'string') {
    return [raw];
  }
  const list = Array.isArray(raw)
    ? (raw as unknown[])
    : typeof raw === 'object' && raw !== null && Object.keys(raw).every((k) => /^\d+$/.test(k))
      ? Object.values(raw) // integer-like keys iterate in ascending order
      : undefined;
  if (!list || !list.every((v): v is string => typeof v === 'string')) {
    throw invalid(invalidMessage);
  }
  return list;
}

/** KEB's paging rules (common/pagination): one integer per parameter, named as the client sent it. */
function integerOf(name: string, raw: unknown): number | undefined {
  const values = valuesOf(raw, `${name} has to be an integer`);
  if (values === undefined) {
    return undefined;
  }
  if (values.length > 1) {
    throw invalid(`${name} has to be one parameter`);
  }
  // No trimming: like KEB (strconv.Atoi), ' 5' (also `+5` decoded as a space) is not an integer.
  const value = values[0];
  const parsed = Number(value);
  if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(parsed)) {
    throw invalid(`${name} has to be an integer`);
  }
  return parsed;
}

function stateFilterOf(raw: unknown): StateFilter {
  const values = valuesOf(raw, 'state has to be a string or a repeated string parameter');
  if (!values || values.length === 0) {
    return { kind: 'except', states: [...HIDDEN_BY_DEFAULT] };
  }
  const unknown = values.find((v) => !STATE_VALUES.includes(v));
  if (unknown !== undefined) {
    throw invalid(`state ${JSON.stringify(unknown.slice(0, 64))} is not one of ${STATE_VALUES.join(', ')}`);
  }
  if (values.includes(ALL_STATES)) {
    return { kind: 'any' };
  }
  return { kind: 'only', states: [...new Set(values as RuntimeState[])] };
}

/**
 * Reads page or cursor, page_size and the filters of `GET /runtimes` from the raw query object. Unknown parameters
 * are ignored (KEB's detail flags such as op_detail are accepted and have no effect). Throws
 * BadRequestError with KEB's wording where KEB has one; KEB ignores unknown states, we refuse them.
 */
export function parseRuntimesQuery(raw: RawRuntimesQuery, maxPageSize: number): RuntimesQuery {
  const pageSize = integerOf('page_size', raw.page_size) ?? maxPageSize;
  if (pageSize > maxPageSize) {
    throw invalid(`page_size is bigger than maxPage(${maxPageSize})`);
  }
  if (pageSize < 1) {
    throw invalid('page_size cannot be smaller than 1');
  }
  const page = integerOf('page', raw.page);
  if (page !== undefined && page < 1) {
    throw invalid('page cannot be smaller than 1');
  }
  if (page !== undefined && raw.cursor !== undefined) {
    throw invalid('page and cursor cannot be used together');
  }
  const start: PageRequest = raw.cursor !== undefined ? { after: decodeCursor(raw.cursor) } : { page: page ?? 1 };
  const filter = { state: stateFilterOf(raw.state) } as RuntimesFilter;
  for (const [param, field] of Object.entries(FILTER_PARAMS) as Array<[keyof typeof FILTER_PARAMS, FilterField]>) {
    const values = valuesOf(raw[param], `${param} has to be a string or a repeated string parameter`);
    if (values?.some((v) => v.includes('\u0000'))) {
      // PostgreSQL text cannot hold NUL: no stored value can match, and the database would refuse the query.
      throw invalid(`${param} must not contain NUL characters`);
    }
    filter[field] = values ? [...new Set(values)] : [];
  }
  return { start, pageSize, filter };
}
