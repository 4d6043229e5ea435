#!/usr/bin/env node
// The CLI: `sagewire <command> [options]`. Parses the command line, builds the configuration once,
// and hands over to the command. Expected failures print one clear line and exit non-zero.
import { ConfigError, loadConfig, type Config } from './config.js';
import { readSavedSettings } from './db/settings-repo.js';
import { createLogger } from './log.js';
import { VERSION } from './version.js';

const USAGE = `sagewire ${VERSION} — rating propagation and AI playlists for Plex music libraries

Usage: sagewire <command> [options]

Commands:
  serve                 run the web server, webhook receiver and worker (npm start)
  demo                  run everything against a simulated Plex library (npm run demo)
  sim                   run the Plex simulator alone (--port --host --token --tracks --seed
                        --library FILE --latency-ms --fault-rate --webhook URL)
  sync [--full] [--json]  update the local library cache from Plex

Configuration comes from the environment (see README.md and .env.example).`;

type Command = (args: string[], env: NodeJS.ProcessEnv) => Promise<number | void>;

function configFrom(env: NodeJS.ProcessEnv): Config {
  const base = loadConfig(env);
  return loadConfig(env, readSavedSettings(base.dbPath));
}

const commands: Record<string, Command> = {
  async serve(_args, env) {
    const config = configFrom(env);
    const { serve } = await import('./cli/serve.js');
    await serve(config, createLogger(config.logLevel));
  },
  async demo(args, env) {
    const { runDemo } = await import('./cli/demo.js');
    await runDemo(args, env);
  },
  async sim(args) {
    const { runSimCli } = await import('./sim/cli.js');
    await runSimCli(args);
  },
  async sync(args, env) {
    const config = configFrom(env);
    const { runSync } = await import('./cli/sync.js');
    return runSync(args, config, createLogger(config.logLevel));
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`sagewire: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  return (await command(args, process.env)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`sagewire: ${err.message}\n`);
      process.exitCode = 2;
    } else if (err instanceof Error && (err as { userFacing?: boolean }).userFacing) {
      process.stderr.write(`sagewire: ${err.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`sagewire: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
