import { readMigrations } from '../../src/db/migrator.js';
import { MIGRATIONS_DIR } from '../../src/db/paths.js';

test('reads committed migrations in order with sha256 checksums', () => {
  const migrations = readMigrations(MIGRATIONS_DIR);
  expect(migrations.length).toBeGreaterThan(0);
  expect(migrations.map((m) => m.name)).toEqual([...migrations.map((m) => m.name)].sort());
  for (const m of migrations) expect(m.checksum).toMatch(/^[0-9a-f]{64}$/);
});
