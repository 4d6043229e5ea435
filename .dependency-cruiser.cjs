// Import-direction rules: the arrows of docs/architecture.md as checks, so a wrong arrow fails `npm run lint`.
//   cli → app → everything; web → engine, library, playlists, webhooks, db, domain;
//   engine → library, db, plex, domain (engine/live also → webhooks); library → db, plex, domain;
//   webhooks → db; playlists → db, plex, domain; db → domain types only; domain → nothing (pure);
//   the simulator (src/sim) stands alone.
// Paths are the resolved files, so a rule holds however the import is spelled.

const app = '^src/app(\\.ts$|/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle makes the load order matter and the two files one room in disguise.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A source file nothing imports is dead, or an entry point that belongs in this list.',
      severity: 'error',
      from: {
        orphan: true,
        path: '^src/',
        pathNot: [
          '\\.d\\.ts$',
          '^src/main\\.ts$',
          // The front door's worker thread, started by path (new Worker(url)).
          '^src/front/thread\\.ts$',
          // Served to browsers as a file, not imported.
          '^src/web/static/',
        ],
      },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to no file fails at run time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'src/domain is pure: it imports nothing else of ours.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'db-imports-only-db-and-domain',
      comment: 'src/db is below everything but the domain.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: ['^src/db/', '^src/domain/'] },
    },
    {
      name: 'db-imports-domain-types-only',
      comment: 'src/db takes the domain types of the rows it stores, never domain behaviour.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/domain/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'sim-stands-alone',
      comment: 'The Plex simulator imports nothing outside src/sim: it stands in for Plex, not for our code.',
      severity: 'error',
      from: { path: '^src/sim/' },
      to: { path: '^src/', pathNot: '^src/sim/' },
    },
    {
      name: 'webhooks-know-no-ratings',
      comment: 'src/webhooks (route, payload, inbox, worker) knows no engine, pages or playlists; engine/live joins them.',
      severity: 'error',
      from: { path: '^src/webhooks/' },
      to: { path: ['^src/(engine|web|playlists|library|cli)/', app] },
    },
    {
      name: 'playlists-no-web',
      comment: 'src/playlists is used by the pages and the JSON API, never the other way round.',
      severity: 'error',
      from: { path: '^src/playlists/' },
      to: { path: '^src/web/' },
    },
    {
      name: 'playlists-no-http-framework',
      comment: 'src/playlists has no HTTP framework: Koa stays in src/web.',
      severity: 'error',
      from: { path: '^src/playlists/' },
      to: { path: '(^|/)node_modules/(koa|@koa/[^/]+|@types/koa[^/]*)/' },
    },
    {
      name: 'library-below-engine',
      comment: 'src/library (cache sync, snapshot) uses db, plex and domain; engine, pages, playlists and webhooks use it.',
      severity: 'error',
      from: { path: '^src/library/' },
      to: { path: '^src/(engine|web|playlists|webhooks)/' },
    },
    {
      name: 'engine-below-web-and-cli',
      comment: 'The engine is used by the pages, the CLI and the composition root, never the other way round.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: ['^src/(web|cli)/', app] },
    },
    {
      name: 'only-engine-live-imports-webhooks',
      comment: 'engine/live is the one engine room that knows both webhooks and ratings.',
      severity: 'error',
      from: { path: '^src/engine/', pathNot: '^src/engine/live/' },
      to: { path: '^src/webhooks/' },
    },
    {
      name: 'app-only-from-the-top',
      comment: 'The composition root is imported only by the commands (src/cli, src/main.ts) and itself.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/app\\.ts$', '^src/app/', '^src/cli/', '^src/main\\.ts$'] },
      to: { path: app },
    },
    {
      name: 'cli-only-from-main',
      comment: 'The commands are the top: only src/main.ts dispatches to them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/main\\.ts$'] },
      to: { path: '^src/cli/' },
    },
    {
      name: 'plex-client-is-a-leaf',
      comment: 'The Plex client knows HTTP and Plex, none of the rooms that use it.',
      severity: 'error',
      from: { path: '^src/plex/' },
      to: { path: ['^src/(db|engine|library|playlists|web|webhooks|cli|front|sim)/', app] },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // Type-only imports count: a wrong arrow is wrong even when it carries only a type.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
