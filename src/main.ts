#!/usr/bin/env node
// The CLI: `sagewire <command> [options]`. Parses the command line, builds the configuration once,
// and hands over to the command. Expected failures print one clear line and exit non-zero.
import { ConfigError, loadConfig, type Config } from './config.js';
import { readSavedSettings } from './db/settings-repo.js';
import { createLogger } from './log.js';
import { PlexError } from './plex/errors.js';
import { VERSION } from './version.js';

const USAGE = `sagewire ${VERSION} — rating propagation and AI playlists for Plex music libraries

Usage: sagewire <command> [options]

Commands:
  serve                 run the web server, webhook receiver and worker (npm start)
  demo                  run everything against a simulated Plex library (npm run demo)
  sim                   run the Plex simulator alone (--port --host --token --tracks --seed
                        --library FILE --latency-ms --fault-rate --webhook URL)
  sync [--full] [--json]  update the local library cache from Plex
  infer [--dry-run] [--json] [--csv FILE]
                        sync, compute every rating, and write what changed (or show the plan)
  undo --run ID | --event ID | --all [--dry-run] [--json]
                        restore what Plex held before Sagewire's writes, where it still holds them
  verify [--fix] [--json]
                        compare Sagewire's state with Plex; --fix resolves what needs no guessing
  recover [--from-tags] [--from-fractional] [--from-state-file FILE] [--json]
                        rebuild Sagewire's state from Plex when it was lost
  export --type tracks|albums|artists --out F.csv
                        ratings and ownership as CSV (stars)
  import F.csv [--apply-valid] [--json]
                        apply ratings from CSV; reports every bad row, applies nothing unless --apply-valid
  opt-in KEY… | --list  re-enable inference on items you opted out of by clearing a rating
  explain KEY|TITLE [--json]
                        one item: who owns its rating, what Sagewire would write and how it is computed
  report [--json]       coverage, μ, twins, tracks far from their album, best and lowest rated

Configuration comes from the environment (see README.md and .env.example).`;

/** A command resolves with its exit code, or with nothing for 0. */
type Command = (args: string[], env: NodeJS.ProcessEnv) => Promise<number | null | undefined> | Promise<void>;

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
  async infer(args, env) {
    const config = configFrom(env);
    const { runInfer } = await import('./cli/infer.js');
    return runInfer(args, config, createLogger(config.logLevel));
  },
  async undo(args, env) {
    const config = configFrom(env);
    const { runUndo } = await import('./cli/undo.js');
    return runUndo(args, config, createLogger(config.logLevel));
  },
  async verify(args, env) {
    const config = configFrom(env);
    const { runVerify } = await import('./cli/verify.js');
    return runVerify(args, config, createLogger(config.logLevel));
  },
  async recover(args, env) {
    const config = configFrom(env);
    const { runRecover } = await import('./cli/recover.js');
    return runRecover(args, config, createLogger(config.logLevel));
  },
  async export(args, env) {
    const config = configFrom(env);
    const { runExport } = await import('./cli/export.js');
    return runExport(args, config, createLogger(config.logLevel));
  },
  async import(args, env) {
    const config = configFrom(env);
    const { runImport } = await import('./cli/import.js');
    return runImport(args, config, createLogger(config.logLevel));
  },
  async explain(args, env) {
    const { runExplain } = await import('./cli/explain.js');
    return runExplain(args, configFrom(env));
  },
  async report(args, env) {
    const { runReport } = await import('./cli/report.js');
    return runReport(args, configFrom(env));
  },
  async 'opt-in'(args, env) {
    const config = configFrom(env);
    const { runOptIn } = await import('./cli/opt-in.js');
    return runOptIn(args, config, createLogger(config.logLevel));
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
    } else if (err instanceof PlexError || (err instanceof Error && (err as { userFacing?: boolean }).userFacing)) {
      process.stderr.write(`sagewire: ${err.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`sagewire: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
