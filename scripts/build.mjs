// Compiles src/ to dist/ and migrations/ to dist/migrations/, then copies the files tsc does not
// (Eta views, static assets) so that paths resolved from import.meta.url match in both trees.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', join(root, 'migrations', 'tsconfig.json')], { stdio: 'inherit' });
// Entries loaded by path rather than imported (a worker thread's module) must be in the build too.
for (const entry of ['main.js', 'front/thread.js']) {
  if (!existsSync(join(root, 'dist', entry))) throw new Error(`build: dist/${entry} is missing`);
}
for (const dir of ['views', 'web/static']) {
  const from = join(root, 'src', dir);
  if (existsSync(from)) {
    cpSync(from, join(root, 'dist', dir), { recursive: true, filter: (p) => !p.endsWith('.ts') });
  }
}
