// `npm run bench [name …] [-- options]`: runs the named benchmarks (files in bench/, without .ts), or
// lists them. Each runs in its own process so its peak RSS is its own.
//   npm run bench                 → the list
//   npm run bench sync            → bench/sync.ts
//   npm run bench sync -- --tracks 20000
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(folder)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();

const args = process.argv.slice(2);
// Names come first; everything from the first option on is passed to each benchmark.
const firstOption = args.findIndex((a) => a.startsWith('-'));
const names = (firstOption >= 0 ? args.slice(0, firstOption) : args).filter((a) => a !== '--');
const options = firstOption >= 0 ? args.slice(firstOption).filter((a, i) => !(i === 0 && a === '--')) : [];

if (names.length === 0) {
  process.stdout.write(`benchmarks: ${available.join(', ')}\nrun one with: npm run bench <name> [-- options]\n`);
  process.exit(0);
}
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')} (available: ${available.join(', ')})\n`);
  process.exit(2);
}
let failed = 0;
for (const name of names) {
  process.stdout.write(`\n== bench ${name}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', `${folder}${name}.ts`, ...options], { stdio: 'inherit' });
  if (run.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
