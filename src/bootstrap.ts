import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { bodyParsers } from './common/body-parsing';
import { Clock } from './common/clock';
import { OsbErrorFilter } from './common/osb-error.filter';
import { openDatabase } from './persistence/database';
import { startLocalLandscape } from './local-landscape';
import { setupSwagger } from './swagger';

export interface RunningBroker {
  app: INestApplication;
  url: string;
  config: AppConfig;
  /** Stops taking requests, lets in-flight ones and engine steps finish, then closes the database and landscape. */
  close: () => Promise<void>;
}

/** Opens what the app stands on (database, and in the local profile the landscape simulator), then the app. */
export interface AppOptions {
  logger?: boolean;
  clock?: Clock;
}

export async function createApp(
  config: AppConfig,
  opts: AppOptions = {},
): Promise<{ app: INestApplication; close: () => Promise<void> }> {
  const landscape = await startLocalLandscape(config);
  const db = await openDatabase({
    url: config.database.url,
    dataDir: config.dataDir,
    poolSize: config.database.poolSize,
  }).catch(async (err: unknown) => {
    await landscape?.stop();
    throw err;
  });
  const releaseResources = async () => {
    await db.close();
    await landscape?.stop();
  };
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot({ config, dataSource: db.dataSource, clock: opts.clock }),
      {
        bufferLogs: true,
        bodyParser: false,
        abortOnError: false,
      },
    );
  } catch (err) {
    await releaseResources();
    throw err;
  }
  if (opts.logger !== false) {
    app.useLogger(app.get(Logger));
  }
  app.set('query parser', 'extended');
  app.disable('x-powered-by');
  app.use(...bodyParsers(config.server.bodyLimit));
  app.useGlobalFilters(new OsbErrorFilter());
  // whitelist strips unknown DTO fields (OSB: receivers ignore unknown fields); never forbidNonWhitelisted.
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true }));
  setupSwagger(app);
  return {
    app,
    close: async () => {
      await app.close();
      await releaseResources();
    },
  };
}

/** Starts the broker on config.server.host:port (port 0 = a free one; see `url`). */
export async function startBroker(config: AppConfig, opts: AppOptions = {}): Promise<RunningBroker> {
  const { app, close } = await createApp(config, opts);
  try {
    await app.listen(config.server.port, config.server.host);
  } catch (err) {
    await close();
    throw err;
  }
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host}:${address.port}`;
  let closing: Promise<void> | undefined;
  return { app, url, config, close: () => (closing ??= close()) };
}
