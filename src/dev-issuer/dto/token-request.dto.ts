import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The token endpoint's form (application/x-www-form-urlencoded, or the same fields as JSON). */
export class TokenRequestDto {
  @ApiProperty({
    description: 'client_credentials (access token) or password (access token + OIDC ID token for a dev user)',
    enum: ['client_credentials', 'password'],
    example: 'client_credentials',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  grant_type?: string;

  @ApiPropertyOptional({ description: 'Client id, when not sent with HTTP Basic', example: 'local-client' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  client_id?: string;

  @ApiPropertyOptional({ description: 'Client secret, when not sent with HTTP Basic', example: 'local-secret' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  client_secret?: string;

  @ApiPropertyOptional({ description: 'password grant: a configured dev user', example: 'admin@example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  username?: string;

  @ApiPropertyOptional({ description: "password grant: the dev user's password", example: 'local-password' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({
    description: "Space-separated subset of the client's scopes (default: all of them)",
    example: 'broker:write runtimes:read',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  scope?: string;
}
