/**
 * The composition root: builds an app from the environment (config, database,
 * clock, WeChat client) and the route table. Everything below it (`_app/`,
 * `_domains/`, `db/`, `shared/`) is composed here and imports nothing above.
 */
import { openDatabase, type Database } from '../db/client.js';
import { routes } from './_routes.js';
import { createApp, type App } from './_app/app.js';
import { AdjustableClock, systemClock, type Clock } from './_app/clock.js';
import { loadConfig, type AppConfig } from './_app/config.js';
import { consoleLogger, type Logger } from './_app/log.js';
import { createWechatClient, type WechatClient } from './_app/wechat.js';

export interface BuildOptions {
  config?: AppConfig;
  database?: Database;
  clock?: Clock;
  wechat?: WechatClient;
  logger?: Logger;
}

export async function buildApp(options: BuildOptions = {}): Promise<App> {
  const config = options.config ?? loadConfig();
  const database =
    options.database ??
    (await openDatabase({ ...config.database }));
  const clock = options.clock ?? (config.production ? systemClock : new AdjustableClock(config.initialNow));
  const wechat = options.wechat ?? createWechatClient(config.wechat);
  return createApp({ database, config, clock, wechat, logger: options.logger ?? consoleLogger }, routes);
}

let shared: Promise<App> | undefined;

/** One app per serverless instance, created on the first request. */
export function getSharedApp(): Promise<App> {
  shared ??= buildApp().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}
