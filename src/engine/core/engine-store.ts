// The engine's repositories over one SQLite connection, built once and handed to every service.
import type SQLite from 'better-sqlite3';
import { EngineJournalRepo } from '../../db/engine-journal-repo.js';
import { EngineLeaseRepo } from '../../db/engine-lease-repo.js';
import { EngineRunsRepo } from '../../db/engine-runs-repo.js';
import { EngineStateRepo } from '../../db/engine-state-repo.js';

export interface EngineStore {
  sqlite: SQLite.Database;
  state: EngineStateRepo;
  journal: EngineJournalRepo;
  runs: EngineRunsRepo;
  lease: EngineLeaseRepo;
}

export function createEngineStore(sqlite: SQLite.Database): EngineStore {
  return {
    sqlite,
    state: new EngineStateRepo(sqlite),
    journal: new EngineJournalRepo(sqlite),
    runs: new EngineRunsRepo(sqlite),
    lease: new EngineLeaseRepo(sqlite),
  };
}
