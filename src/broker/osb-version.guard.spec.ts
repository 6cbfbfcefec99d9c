import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PreconditionFailedError } from '../common/domain-errors';
import { loadConfig } from '../config/load-config';
import { OsbVersionGuard } from './osb-version.guard';

function context(version: string | undefined, routeMin?: string): ExecutionContext {
  const handler = () => undefined;
  if (routeMin) {
    Reflect.defineMetadata('osb:min-version', routeMin, handler);
  }
  return {
    switchToHttp: () => ({
      getRequest: () => ({ headers: version === undefined ? {} : { 'x-broker-api-version': version } }),
    }),
    getHandler: () => handler,
  } as unknown as ExecutionContext;
}

describe('OsbVersionGuard', () => {
  const guard = new OsbVersionGuard(new Reflector(), loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-')) }));

  it.each(['2.14', '2.16', '2.17', '2.99'])('accepts %s', (v) => {
    expect(guard.canActivate(context(v))).toBe(true);
  });

  it.each([
    [undefined, 'X-Broker-API-Version header not set'],
    ['', 'X-Broker-API-Version header not set'],
    ['two', 'X-Broker-API-Version header must contain a version (MAJOR.MINOR, e.g. 2.17)'],
    ['3.0', 'X-Broker-API-Version header must be 2.x'],
    ['1.14', 'X-Broker-API-Version header must be 2.x'],
    ['2.13', 'this endpoint requires X-Broker-API-Version 2.14 or newer, got 2.13'],
  ])('refuses %p with 412 "%s"', (v, message) => {
    expect(() => guard.canActivate(context(v))).toThrow(new PreconditionFailedError(message));
  });

  it('applies a route minimum above the broker minimum', () => {
    const lenient = new OsbVersionGuard(
      new Reflector(),
      loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-')), OSB_MIN_API_VERSION: '2.0' }),
    );
    expect(lenient.canActivate(context('2.10'))).toBe(true);
    expect(() => lenient.canActivate(context('2.10', '2.14'))).toThrow(PreconditionFailedError);
  });
});
