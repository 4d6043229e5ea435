// Runs a command (`vitest run`, `node dist/main.js demo`, …) on a Node.js the project supports. On a
// machine whose Node is older than package.json's `engines` floor (Debian 12 ships Node 20, past its end
// of life, where better-sqlite3 13 crashes and vitest 5 refuses to start), it fetches the Node line named in
// .node-version from the npm registry (scripts/install-node.sh) and runs the command on that one, so
// `npm ci && npm test` and `npm run demo` work on a fresh clone either way. Plain JavaScript that Node 18+
// can run. Usage: node scripts/supported-node.mjs COMMAND [ARGS…]
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/supported-node.mjs COMMAND [ARGS…]');
  process.exit(2);
}

const floor = /(\d+)\.(\d+)/.exec(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node);
const [major, minor] = process.versions.node.split('.').map(Number);
const supported = major > Number(floor[1]) || (major === Number(floor[1]) && minor >= Number(floor[2]));

const path = [join(root, 'node_modules', '.bin'), process.env.PATH ?? ''];
const env = { ...process.env };
if (!supported) {
  const bin = execFileSync('bash', [join(root, 'scripts', 'install-node.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const version = execFileSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).trim();
  console.error(`supported-node: Node ${process.version} is older than ${floor[0]} (package.json engines); running on ${version} (${bin})`);
  path.unshift(bin);
  env.npm_config_nodedir = dirname(bin);
}
env.PATH = path.join(delimiter);

const child = spawn(command, args, { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
child.on('error', (err) => {
  console.error(`supported-node: cannot run ${command}: ${err.message}`);
  process.exit(1);
});
