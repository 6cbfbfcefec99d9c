import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiPreconditionFailedResponse } from '@nestjs/swagger';
import { OsbErrorDto, OSB_VERSION_EXAMPLE } from '../common/osb-dto';
import { OsbVersionGuard } from './osb-version.guard';

/** Everything an OSB route shares: the version header (checked, documented, pre-filled in Swagger UI). */
export function OsbApi(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(OsbVersionGuard),
    ApiHeader({
      name: 'X-Broker-API-Version',
      required: true,
      description: 'OSB API version, 2.x (GET instance and GET binding need 2.14 or newer)',
      schema: { type: 'string', default: OSB_VERSION_EXAMPLE, example: OSB_VERSION_EXAMPLE },
    }),
    ApiHeader({
      name: 'X-Broker-API-Originating-Identity',
      required: false,
      description:
        'Platform and base64 JSON of the user the platform acts for, e.g. "cloudfoundry eyJ1c2VyX2lkIjoiamFuZSJ9"',
    }),
    ApiHeader({
      name: 'X-Broker-API-Request-Identity',
      required: false,
      description: 'Echoed back; logged as the request id',
    }),
    ApiPreconditionFailedResponse({
      description: 'X-Broker-API-Version missing, unparsable or too old',
      type: OsbErrorDto,
    }),
  );
}
