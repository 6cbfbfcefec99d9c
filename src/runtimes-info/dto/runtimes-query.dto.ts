import { ApiHideProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

/**
 * The raw query of `GET /runtimes`: each parameter as express' extended parser delivers it (a string,
 * or an array when repeated). RuntimesInfoService parses and validates it; the decorators here only let
 * the global ValidationPipe (whitelist) keep the parameters. The parameters are documented with
 * `@ApiQuery` on the handler, hence hidden here (the Swagger CLI plugin would document them twice).
 */
export class RuntimesQueryDto {
  @ApiHideProperty() @IsOptional() page?: unknown;
  @ApiHideProperty() @IsOptional() page_size?: unknown;
  @ApiHideProperty() @IsOptional() cursor?: unknown;
  @ApiHideProperty() @IsOptional() account?: unknown;
  @ApiHideProperty() @IsOptional() subaccount?: unknown;
  @ApiHideProperty() @IsOptional() instance_id?: unknown;
  @ApiHideProperty() @IsOptional() runtime_id?: unknown;
  @ApiHideProperty() @IsOptional() region?: unknown;
  @ApiHideProperty() @IsOptional() shoot?: unknown;
  @ApiHideProperty() @IsOptional() plan?: unknown;
  @ApiHideProperty() @IsOptional() state?: unknown;
  @ApiHideProperty() @IsOptional() platform_region?: unknown;
}
