import { BadRequestError } from '../common/domain-errors';
import type { AppConfig } from '../config/app-config';
import { effectiveBindingParameters, formatExpiresAt, parametersHash } from './binding-parameters';

const config = {
  defaultExpirationSeconds: 600,
  minExpirationSeconds: 600,
  maxExpirationSeconds: 7200,
  defaultStrategy: 'token_request',
} as AppConfig['bindings'];

describe('effectiveBindingParameters', () => {
  it.each([
    [undefined, 600],
    [{}, 600],
    [{ expiration_seconds: 0 }, 600],
    [{ expiration_seconds: 600 }, 600],
    [{ expiration_seconds: 7200 }, 7200],
    [{ expiration_seconds: 1234, expirationSeconds: 5 }, 1234],
  ])('%j → %i seconds', (raw, seconds) => {
    expect(effectiveBindingParameters(raw, config).expirationSeconds).toBe(seconds);
  });

  it.each([
    [{ expiration_seconds: 599 }, 'expiration_seconds cannot be less than 600'],
    [{ expiration_seconds: -1 }, 'expiration_seconds cannot be less than 600'],
    [{ expiration_seconds: 7201 }, 'expiration_seconds cannot be greater than 7200'],
    [
      { expiration_seconds: '600' },
      'failed to unmarshal parameters: cannot unmarshal string into expiration_seconds of type int',
    ],
    [
      { expiration_seconds: 600.5 },
      'failed to unmarshal parameters: cannot unmarshal number into expiration_seconds of type int',
    ],
    [
      { token_request: 'yes' },
      'failed to unmarshal parameters: cannot unmarshal string into token_request of type bool',
    ],
    ['text', 'failed to unmarshal parameters: parameters must be a JSON object'],
    [[1], 'failed to unmarshal parameters: parameters must be a JSON object'],
  ])('%j → 400 "%s"', (raw, message) => {
    expect(() => effectiveBindingParameters(raw, config)).toThrow(new BadRequestError(message));
  });

  it('picks the strategy from token_request, else the configured default', () => {
    expect(effectiveBindingParameters({}, config).strategy).toBe('token_request');
    expect(effectiveBindingParameters({ token_request: false }, config).strategy).toBe('adminkubeconfig');
    expect(effectiveBindingParameters({}, { ...config, defaultStrategy: 'adminkubeconfig' }).strategy).toBe(
      'adminkubeconfig',
    );
  });

  it('hashes equal effective parameters equally (default 600 == explicit 600)', () => {
    const a = parametersHash(effectiveBindingParameters({}, config));
    expect(parametersHash(effectiveBindingParameters({ expiration_seconds: 600 }, config))).toBe(a);
    expect(parametersHash(effectiveBindingParameters({ expiration_seconds: 601 }, config))).not.toBe(a);
    expect(parametersHash(effectiveBindingParameters({ token_request: false }, config))).not.toBe(a);
  });
});

describe('formatExpiresAt', () => {
  it('keeps one fractional digit and Z', () => {
    expect(formatExpiresAt(new Date('2026-08-21T14:20:44.123Z'))).toBe('2026-08-21T14:20:44.1Z');
    expect(formatExpiresAt(new Date('2026-08-21T14:20:44Z'))).toBe('2026-08-21T14:20:44.0Z');
  });
});
