/** The size of a built Vercel function folder, by package, as Vercel counts it (uncompressed) and ≈ zipped. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';

export interface FunctionSize {
  bytes: number;
  deflated: number;
  files: number;
  /** [package, bytes], largest first; the application's own files are "(app code)". */
  packages: [string, number][];
}

function packageOf(relative: string): string {
  const parts = relative.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return '(app code)';
  const name = parts[at + 1] ?? '';
  return name.startsWith('@') ? `${name}/${parts[at + 2] ?? ''}` : name;
}

export function functionSize(dir: string): FunctionSize {
  const size: FunctionSize = { bytes: 0, deflated: 0, files: 0, packages: [] };
  const byPackage = new Map<string, number>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const bytes = statSync(full).size;
        size.bytes += bytes;
        size.files += 1;
        size.deflated += deflateRawSync(readFileSync(full)).length;
        const pkg = packageOf(path.relative(dir, full));
        byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytes);
      }
    }
  };
  walk(dir);
  size.packages = [...byPackage].sort((a, b) => b[1] - a[1]);
  return size;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
}
