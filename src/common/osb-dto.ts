import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The OSB error body: `{error?, description}`. */
export class OsbErrorDto {
  @ApiPropertyOptional({ description: 'Machine-readable CamelCase error code', example: 'AsyncRequired' })
  error?: string;

  @ApiProperty({ description: 'What went wrong, for humans', example: 'instance does not exist' })
  description!: string;
}

export class EmptyObjectDto {}

/** Example OSB version header value shown in Swagger UI. */
export const OSB_VERSION_EXAMPLE = '2.17';
