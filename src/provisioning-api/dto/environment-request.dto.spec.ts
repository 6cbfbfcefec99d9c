import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { CreateEnvironmentBindingRequestDto } from './environment-binding.dto';
import { CreateEnvironmentRequestDto, UpdateEnvironmentRequestDto } from './environment-request.dto';

// The pipe as bootstrap.ts installs it globally.
const pipe = new ValidationPipe({ transform: true, whitelist: true });

async function errorsOf(metatype: new () => object, body: unknown): Promise<string[]> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestException);
    const response = (err as BadRequestException).getResponse() as { message: string[] };
    return response.message;
  }
}

const valid = {
  environmentType: 'kyma',
  serviceName: 'kymaruntime',
  planName: 'aws',
  parameters: { name: 'rt', region: 'eu-central-1' },
  user: 'jane@example.com',
};

describe('CreateEnvironmentRequestDto', () => {
  it('accepts the body of the documented procedure and keeps the parameters as sent', async () => {
    const dto = (await pipe.transform(
      { ...valid, parameters: { name: 'rt', region: 'eu-central-1', oidc: { clientID: 'x' } }, unknown: 1 },
      { type: 'body', metatype: CreateEnvironmentRequestDto },
    )) as CreateEnvironmentRequestDto & { unknown?: number };
    expect(dto.parameters).toEqual({ name: 'rt', region: 'eu-central-1', oidc: { clientID: 'x' } });
    expect(dto.unknown).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'missing planName',
      { planName: undefined },
      'planName is required: a plan name from GET /provisioning/v1/availableEnvironments',
    ],
    ['blank planName', { planName: '  ' }, 'planName is required'],
    ['numeric planName', { planName: 7 }, 'planName is required'],
    ['wrong environmentType', { environmentType: 'cloudfoundry' }, 'environmentType must be "kyma"'],
    ['missing environmentType', { environmentType: undefined }, 'environmentType must be "kyma"'],
    ['wrong serviceName', { serviceName: 'kyma' }, 'serviceName must be "kymaruntime"'],
    ['parameters not an object', { parameters: 'name=rt' }, 'parameters must be a JSON object'],
    ['parameters an array', { parameters: ['rt'] }, 'parameters must be a JSON object'],
    ['user not a string', { user: 42 }, 'user must be a non-empty string (an e-mail address)'],
    ['user empty', { user: '' }, 'user must be a non-empty string (an e-mail address)'],
  ])('refuses %s with a message naming the field', async (_label, change, message) => {
    const messages = await errorsOf(CreateEnvironmentRequestDto, { ...valid, ...change });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
  });

  it('reports every wrong field of an empty body', async () => {
    const messages = await errorsOf(CreateEnvironmentRequestDto, {});
    expect(messages).toHaveLength(3);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('environmentType'),
        expect.stringContaining('serviceName'),
        expect.stringContaining('planName'),
      ]),
    );
  });
});

describe('UpdateEnvironmentRequestDto', () => {
  it('needs a planName', async () => {
    expect(await errorsOf(UpdateEnvironmentRequestDto, { parameters: {} })).toEqual([
      'planName is required: the current plan name or the plan to change to',
    ]);
    expect(await errorsOf(UpdateEnvironmentRequestDto, { planName: 'aws', parameters: { autoScalerMax: 3 } })).toEqual(
      [],
    );
  });
});

describe('CreateEnvironmentBindingRequestDto', () => {
  it('passes parameters through untouched for the bindings rules to judge', async () => {
    for (const parameters of [{ expiration_seconds: 599 }, 'x', undefined]) {
      const dto = (await pipe.transform(
        { parameters },
        { type: 'body', metatype: CreateEnvironmentBindingRequestDto },
      )) as CreateEnvironmentBindingRequestDto;
      expect(dto.parameters).toEqual(parameters);
    }
  });

  it('is not confused by a missing body', async () => {
    expect(await errorsOf(CreateEnvironmentBindingRequestDto, {})).toEqual([]);
  });
});
