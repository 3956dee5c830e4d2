/** npm run migrate: creates the database if it is missing, then applies pending migrations. */
import { loadConfig } from '../src/config/config.js';
import { createPool } from '../src/db/connection.js';
import { migrate } from '../src/db/migrator.js';
import { MIGRATIONS_DIR } from '../src/db/paths.js';
import { explainUnreachable } from '../src/db/unreachable.js';
import { ensureDatabase } from './ensure-database.js';

async function main(): Promise<void> {
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  const pool = createPool(config.databaseUrl, 1);
  try {
    const result = await migrate(pool, MIGRATIONS_DIR);
    console.log(
      result.applied.length
        ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`
        : `database is up to date (${result.alreadyApplied} migration(s))`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  console.error(explainUnreachable(err) ?? `migrate failed: ${(err as Error).message}`);
  process.exit(1);
});
