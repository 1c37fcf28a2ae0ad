/**
 * A day shown or put in a file name is the Beijing day: at 03:30 in Beijing (19:30 UTC the day before) the app
 * must say the 15th, not the 14th. An ISO instant sliced for its day, or a Date read in the device's zone, gives the
 * UTC (or the phone's) day, so the mini-program and the API never do either: they use shanghaiDate and its kin
 * (shared/calendar.ts, miniapp/src/utils/format.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOTS = ['miniapp/src', 'api'];
const LOCAL_OR_UTC_DAY = /toISOString\(\)\.(?:slice|substring)\(0, ?10\)|[A-Za-z]At\.(?:slice|substring)\(0, ?10\)|\.get(?:FullYear|Month|Date|Hours|Minutes|Day)\(\)/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

it('no page or route takes the day of an instant in UTC or in the device zone', () => {
  const hits: string[] = [];
  for (const file of ROOTS.flatMap(files)) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const m = LOCAL_OR_UTC_DAY.exec(line);
      if (m) hits.push(`${file}:${i + 1}: ${m[0]}`);
    });
  }
  expect(hits).toEqual([]);
});
