/**
 * Nothing is ranked (国办函〔2026〕12号: no 积分排名; the house rule: fixed order
 * by name or code). The mini-program's source and the shared contracts and
 * labels carry no rank wording, so no page can show one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOTS = ['miniapp/src', 'shared'];
const RANK_WORDS = /排名|排行|名次|第\s*[0-9一二三四五六七八九十]+\s*名|落后|倒数|积分|榜首|垫底|末位|红黑榜|请提醒/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(tsx?|scss|json)$/.test(name) ? [path] : [];
  });
}

it('no page, label or contract words a ranking', () => {
  const hits: string[] = [];
  for (const file of ROOTS.flatMap(files)) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const m = RANK_WORDS.exec(line);
      if (m) hits.push(`${file}:${i + 1}: ${m[0]}`);
    });
  }
  expect(hits).toEqual([]);
});
