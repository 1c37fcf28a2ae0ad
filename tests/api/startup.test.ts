/**
 * `npm start` is production unless told otherwise: without production secrets
 * it refuses to start, with a message in Chinese and English; in development
 * mode it refuses a non-loopback address. (Spawns the real entry point.)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(APP_ENV|VERCEL.*|DATABASE_URL|SESSION_SECRET|ID_.*|WECHAT_.*|CRON_SECRET|HOST|PORT|NODE_ENV)$/.test(k)),
  );
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], { cwd: ROOT, env: { ...clean, ...env } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm start', () => {
  it('without APP_ENV and production secrets it refuses to start and says what is missing', async () => {
    const { code, output } = await start({ PORT: '0' });
    expect(code).toBe(1);
    expect(output).toContain('配置错误 (configuration error)');
    expect(output).toContain('SESSION_SECRET is required in production');
    expect(output).toContain('DATABASE_URL is required outside development');
    expect(output).toContain('APP_ENV=development');
    expect(output).not.toContain('已启动');
  }, 30_000);

  it('in development mode it refuses to listen on a non-loopback address', async () => {
    const { code, output } = await start({ APP_ENV: 'development', HOST: '0.0.0.0', PORT: '0' });
    expect(code).toBe(1);
    expect(output).toContain('只能监听本机地址');
    expect(output).toContain('listens on loopback only');
  }, 30_000);
});
