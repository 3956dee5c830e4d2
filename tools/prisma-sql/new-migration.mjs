// npm run migrate:new -- <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
// SQL from the schema as of the last migration (schema_snapshot.prisma) to schema.prisma, then
// moves the snapshot forward. Prisma's own `migrate deploy` applies these folders unchanged.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sqlFromSchema } from './sql-from-schema.mjs';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run migrate:new -- <name>   (lower case, digits and _)');
  process.exit(2);
}
const root = resolve(process.cwd());
const schema = join(root, 'prisma', 'schema.prisma');
const migrations = join(root, 'prisma', 'migrations');
const snapshot = join(migrations, 'schema_snapshot.prisma');
const sql = sqlFromSchema(existsSync(snapshot) ? snapshot : 'empty', schema);
if (sql.trim() === '' || /^-- This is an empty migration/.test(sql.trim())) {
  console.log('schema.prisma has no changes since the last migration');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = join(migrations, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'migration.sql'), sql);
writeFileSync(join(migrations, 'migration_lock.toml'), 'provider = "postgresql"\n');
copyFileSync(schema, snapshot);
console.log(`wrote ${dir}/migration.sql`);
