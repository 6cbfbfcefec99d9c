import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/load-config';
import { buildOpenApi } from '../swagger';

/**
 * Writes the OpenAPI document (`export-swagger.js <file>`) or checks the checked-in one is current
 * (`export-swagger.js --check <file>`). Preview mode builds the routes without starting anything.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const file = args.find((a) => !a.startsWith('--')) ?? 'swagger/openapi.json';
  const config = loadConfig({
    BROKER_PROFILE: 'local',
    PORT: '8080',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-swagger-')),
  });
  config.gardener.kubeconfigPath = '/dev/null';
  const app = await NestFactory.create(AppModule.forRoot({ config, dataSource: {} as DataSource }), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const json = `${JSON.stringify(buildOpenApi(app), null, 2)}\n`;
  if (check) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = '';
    }
    if (current !== json) {
      console.error(`${file} is out of date: run \`npm run swagger:export\` and commit the result`);
      process.exit(1);
    }
    console.log(`${file} is up to date`);
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, json);
  console.log(`wrote ${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
