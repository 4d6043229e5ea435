#!/usr/bin/env node
// The CLI: `sagewire <command> [options]`. Parses the command line, builds the configuration once,
// and hands over to the command. Expected failures print one clear line and exit non-zero.
import { ConfigError, loadConfig, type Config } from './config.js';
import { configForSection, mainSectionName, parseSectionFiles, SECTION_FILES_SETTING } from './app/sections.js';
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

With several music sections (PLEX_MUSIC_LIBRARY="Music, Family Music"), the other commands work on the one
the main database holds (the first one chosen, at first); --section NAME picks another (each keeps its state
in its own database).

Configuration comes from the environment (see README.md and .env.example).`;

/** A command resolves with its exit code, or with nothing for 0. */
type Command = (args: string[], env: NodeJS.ProcessEnv) => Promise<number | null | undefined> | Promise<void>;

/** `--section NAME`, taken out of the command's arguments by main(). */
let chosenSection: string | null = null;

function configFrom(env: NodeJS.ProcessEnv): Config {
  const base = loadConfig(env);
  const saved = readSavedSettings(base.dbPath);
  const config = loadConfig(env, saved);
  if (chosenSection === null && config.plex.musicLibraries.length === 1) return config;
  const recorded = parseSectionFiles(saved[SECTION_FILES_SETTING] ?? null);
  // Without --section: the section the main database holds, which need not be the first one listed.
  return configForSection(config, chosenSection ?? mainSectionName(config, recorded), recorded);
}

/** Takes `--section NAME` (or `--section=NAME`) out of a command's arguments. */
function takeSection(args: string[]): { rest: string[]; section: string | null } {
  const rest: string[] = [];
  let section: string | null = null;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--section') {
      section = args[i + 1] ?? '';
      i += 1;
    } else if (args[i].startsWith('--section=')) section = args[i].slice('--section='.length);
    else rest.push(args[i]);
  }
  if (section !== null && !section.trim()) throw new ConfigError(['--section: name a music section (its title or id)']);
  return { rest, section: section?.trim() ?? null };
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
  if (name === 'serve' || name === 'demo' || name === 'sim') return (await command(args, process.env)) ?? 0;
  const { rest, section } = takeSection(args);
  chosenSection = section;
  return (await command(rest, process.env)) ?? 0;
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
