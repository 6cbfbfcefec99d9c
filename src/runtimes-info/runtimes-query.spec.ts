import { parse } from 'qs';
import { BadRequestError } from '../common/domain-errors';
import { encodeCursor, parseRuntimesQuery } from './runtimes-query';

const MAX = 100;
/** The query object exactly as express' extended query parser builds it. */
const query = (qs: string): Record<string, unknown> => parse(qs);

function errorOf(qs: string): string {
  try {
    parseRuntimesQuery(query(qs), MAX);
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError);
    return (err as BadRequestError).message;
  }
  throw new Error(`expected ?${qs} to be refused`);
}

describe('parseRuntimesQuery', () => {
  describe('paging', () => {
    it('defaults to the first page of the maximum size', () => {
      const { start, pageSize } = parseRuntimesQuery({}, MAX);
      expect({ start, pageSize }).toEqual({ start: { page: 1 }, pageSize: MAX });
    });

    it.each([
      ['page=2&page_size=10', 2, 10],
      ['page=1&page_size=1', 1, 1],
      ['page_size=100', 1, 100],
      ['page=%2B3&page_size=007', 3, 7],
      ['page=9007199254740991', 9007199254740991, MAX],
    ])('accepts ?%s', (qs, page, pageSize) => {
      expect(parseRuntimesQuery(query(qs), MAX)).toMatchObject({ start: { page }, pageSize });
    });

    it.each([
      ['page_size=abc', 'page_size has to be an integer'],
      ['page_size=', 'page_size has to be an integer'],
      ['page_size=1.5', 'page_size has to be an integer'],
      ['page_size=1e2', 'page_size has to be an integer'],
      ['page_size=+5', 'page_size has to be an integer'],
      ['page_size[a]=5', 'page_size has to be an integer'],
      ['page_size=5&page_size=6', 'page_size has to be one parameter'],
      ['page_size=101', 'page_size is bigger than maxPage(100)'],
      ['page_size=99999999999999999999', 'page_size has to be an integer'],
      ['page_size=0', 'page_size cannot be smaller than 1'],
      ['page_size=-1', 'page_size cannot be smaller than 1'],
      ['page=x', 'page has to be an integer'],
      ['page=', 'page has to be an integer'],
      ['page=2.0', 'page has to be an integer'],
      ['page[a]=1', 'page has to be an integer'],
      ['page=1&page=2', 'page has to be one parameter'],
      ['page=0', 'page cannot be smaller than 1'],
      ['page=-3', 'page cannot be smaller than 1'],
      ['page=9007199254740993', 'page has to be an integer'],
      // Like KEB, page_size is checked before page.
      ['page=0&page_size=0', 'page_size cannot be smaller than 1'],
    ])('refuses ?%s with "%s"', (qs, message) => {
      expect(errorOf(qs)).toBe(`while getting query parameters: ${message}`);
    });

    it('names the configured maximum', () => {
      expect(() => parseRuntimesQuery(query('page_size=11'), 10)).toThrow(
        'while getting query parameters: page_size is bigger than maxPage(10)',
      );
    });
  });

  describe('cursor', () => {
    const position = { createdAt: '2026-01-01T00:00:00.123456Z', instanceId: 'inst-1' };
    const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it('reads back the position it encoded, with page_size and filters', () => {
      const parsed = parseRuntimesQuery(query(`cursor=${encodeCursor(position)}&page_size=5&plan=aws`), MAX);
      expect(parsed).toMatchObject({ start: { after: position }, pageSize: 5, filter: { planNames: ['aws'] } });
    });

    it('takes the first and last instants PostgreSQL can order', () => {
      for (const createdAt of [
        '0001-01-01T00:00:00.000000Z',
        '9999-12-31T23:59:59.999999Z',
        '2028-02-29T12:00:00.5Z',
      ]) {
        const raw = query(`cursor=${encodeCursor({ createdAt, instanceId: 'x' })}`);
        if (createdAt.length === 27) {
          expect(parseRuntimesQuery(raw, MAX).start).toEqual({ after: { createdAt, instanceId: 'x' } });
        } else {
          expect(() => parseRuntimesQuery(raw, MAX)).toThrow('cursor is not one this API handed out');
        }
      }
    });

    it('is opaque URL-safe text', () => {
      expect(encodeCursor({ ...position, instanceId: '\u00e9?/+=&' })).toMatch(/^[A-Za-z0-9_-]+$/);
    });

    it('refuses page together with cursor', () => {
      expect(errorOf(`page=2&cursor=${encodeCursor(position)}`)).toBe(
        'while getting query parameters: page and cursor cannot be used together',
      );
    });

    it.each([
      ['not base64 JSON', '%21%21%21'],
      ['empty', ''],
      ['an object', encoded({ createdAt: position.createdAt, instanceId: 'x' })],
      ['three values', encoded([position.createdAt, 'x', 'y'])],
      ['milliseconds only', encoded(['2026-01-01T00:00:00.123Z', 'x'])],
      ['an impossible date', encoded(['2026-13-45T00:00:00.000000Z', 'x'])],
      ['a day the month does not have', encoded(['2026-02-30T00:00:00.000000Z', 'x'])],
      ['year 0', encoded(['0000-01-01T00:00:00.000000Z', 'x'])],
      ['an hour past 23', encoded(['2026-01-01T24:00:00.000000Z', 'x'])],
      ['an empty instance id', encoded([position.createdAt, ''])],
      ['a NUL in the instance id', encoded([position.createdAt, 'a\u0000b'])],
      ['a number as instance id', encoded([position.createdAt, 7])],
    ])('refuses a cursor that is %s', (_, cursor) => {
      expect(errorOf(`cursor=${cursor}`)).toBe(
        'while getting query parameters: cursor is not one this API handed out (take it from nextCursor)',
      );
    });

    it('refuses a repeated or nested cursor', () => {
      const c = encodeCursor(position);
      expect(errorOf(`cursor=${c}&cursor=${c}`)).toBe('while getting query parameters: cursor has to be one parameter');
      expect(errorOf(`cursor[a]=${c}`)).toBe('while getting query parameters: cursor has to be a string');
    });
  });

  describe('filters', () => {
    it('is empty without filters and hides deprovisioned runtimes by default', () => {
      expect(parseRuntimesQuery({}, MAX).filter).toEqual({
        globalAccountIds: [],
        subaccountIds: [],
        instanceIds: [],
        runtimeIds: [],
        providerRegions: [],
        shootNames: [],
        planNames: [],
        platformRegions: [],
        state: { kind: 'except', states: ['deprovisioned'] },
      });
    });

    it('maps every parameter to its filter, repeated values as alternatives', () => {
      const { filter } = parseRuntimesQuery(
        query(
          'account=ga1&account=ga2&subaccount=sa&instance_id=i1&runtime_id=r1&runtime_id=r2&region=eu-west-1' +
            '&shoot=c-1&plan=aws&plan=azure&platform_region=cf-eu11',
        ),
        MAX,
      );
      expect(filter).toMatchObject({
        globalAccountIds: ['ga1', 'ga2'],
        subaccountIds: ['sa'],
        instanceIds: ['i1'],
        runtimeIds: ['r1', 'r2'],
        providerRegions: ['eu-west-1'],
        shootNames: ['c-1'],
        planNames: ['aws', 'azure'],
        platformRegions: ['cf-eu11'],
      });
    });

    it('drops duplicate values', () => {
      expect(parseRuntimesQuery(query('account=a&account=a&account=b'), MAX).filter.globalAccountIds).toEqual([
        'a',
        'b',
      ]);
    });

    it('takes more than 20 repeats (which qs turns into an object with index keys)', () => {
      const ids = Array.from({ length: 30 }, (_, i) => `ga-${i}`);
      const raw = query(ids.map((id) => `account=${id}`).join('&'));
      expect(Array.isArray(raw.account)).toBe(false);
      expect(parseRuntimesQuery(raw, MAX).filter.globalAccountIds).toEqual(ids);
    });

    it('takes the bracket form name[]=', () => {
      expect(parseRuntimesQuery(query('plan[]=aws&plan[]=gcp'), MAX).filter.planNames).toEqual(['aws', 'gcp']);
    });

    it.each(['account', 'subaccount', 'instance_id', 'runtime_id', 'region', 'shoot', 'plan', 'platform_region'])(
      'refuses %s given as a nested object',
      (param) => {
        expect(errorOf(`${param}[key]=v`)).toBe(
          `while getting query parameters: ${param} has to be a string or a repeated string parameter`,
        );
      },
    );

    it.each(['account', 'instance_id', 'runtime_id', 'platform_region'])(
      'refuses a NUL character in %s (PostgreSQL text cannot hold one)',
      (param) => {
        expect(errorOf(`${param}=ok&${param}=a%00b`)).toBe(
          `while getting query parameters: ${param} must not contain NUL characters`,
        );
      },
    );

    it('ignores parameters it does not know, such as KEB detail flags', () => {
      expect(() => parseRuntimesQuery(query('op_detail=last&bindings=true&foo[x]=1'), MAX)).not.toThrow();
    });
  });

  describe('state', () => {
    it.each([
      ['state=succeeded', { kind: 'only', states: ['succeeded'] }],
      ['state=failed&state=error', { kind: 'only', states: ['failed', 'error'] }],
      ['state=deprovisioned', { kind: 'only', states: ['deprovisioned'] }],
      ['state=provisioning&state=provisioning', { kind: 'only', states: ['provisioning'] }],
      ['state=all', { kind: 'any' }],
      ['state=succeeded&state=all', { kind: 'any' }],
      [
        'state=suspended&state=upgrading&state=deprovisionincomplete&state=updating&state=deprovisioning',
        {
          kind: 'only',
          states: ['suspended', 'upgrading', 'deprovisionincomplete', 'updating', 'deprovisioning'],
        },
      ],
    ])('?%s', (qs, expected) => {
      expect(parseRuntimesQuery(query(qs), MAX).filter.state).toEqual(expected);
    });

    it.each([
      ['state=running', 'running'],
      ['state=succeeded&state=Failed', 'Failed'],
      ['state=', ''],
      ['state=all&state=nope', 'nope'],
    ])('refuses ?%s', (qs, bad) => {
      expect(errorOf(qs)).toBe(
        `while getting query parameters: state ${JSON.stringify(bad)} is not one of succeeded, failed, error, ` +
          'provisioning, deprovisioning, deprovisioned, deprovisionincomplete, upgrading, updating, suspended, all',
      );
    });

    it('refuses state given as a nested object', () => {
      expect(errorOf('state[a]=succeeded')).toBe(
        'while getting query parameters: state has to be a string or a repeated string parameter',
      );
    });

    it('shortens a long unknown state in the message', () => {
      expect(errorOf(`state=${'x'.repeat(500)}`)).toContain(`"${'x'.repeat(64)}" is not one of`);
    });
  });
});
