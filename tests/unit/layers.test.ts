/**
 * Dependencies point down: db/ knows nothing of the API above it, a domain's
 * files import only their own folder and the layers below (api/_app, db,
 * shared), and in the mini-program api/ and auth/ do not import each other
 * (both use src/session/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const sources = (dir: string) => files(dir).filter((f) => /\.tsx?$/.test(f));
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gms)].map((m) => m[1] ?? '');

describe('layers', () => {
  it('db/ imports nothing from api/ (it has its own config: db/config.ts)', () => {
    const upward = sources('db').flatMap((f) => importsOf(f).filter((i) => /(^|\/)api\//.test(i)).map((i) => `${f}: ${i}`));
    expect(upward).toEqual([]);
  });

  it('api/_app/ does not import the route table or the domains', () => {
    const upward = sources('api/_app').flatMap((f) => importsOf(f).filter((i) => /_routes|_domains|_compose/.test(i)).map((i) => `${f}: ${i}`));
    expect(upward).toEqual([]);
  });

  it("a domain imports no other domain's files", () => {
    const root = path.join('api', '_domains');
    const crossing = sources(root).flatMap((f) => {
      const domain = path.relative(root, f).split(path.sep)[0]!.replace(/\.ts$/, '');
      return importsOf(f)
        .filter((i) => i.startsWith('.'))
        .map((i) => path.relative(root, path.resolve(path.dirname(f), i)))
        .filter((target) => !target.startsWith('..'))
        .filter((target) => target.split(path.sep)[0]!.replace(/\.js$/, '') !== domain)
        .map((target) => `${f}: ${target}`);
    });
    // The study barrel re-exports its own folder; the dashboard reads the commendations' public index.
    expect(crossing.filter((c) => !c.startsWith(path.join(root, 'study.ts')) && !c.endsWith(path.join('commendations', 'index.js')))).toEqual([]);
  });

  it('mini-program: api/ and auth/ do not import each other', () => {
    const src = path.join('miniapp', 'src');
    const pointing = (from: string, to: string) =>
      sources(path.join(src, from)).flatMap((f) => importsOf(f).filter((i) => i.startsWith(`@/${to}`) || i.startsWith(`../${to}`)).map((i) => `${f}: ${i}`));
    // auth/ signs in through the API; the API reaches the stored session through src/session/, never auth/.
    expect(pointing('api', 'auth')).toEqual([]);
  });
});
