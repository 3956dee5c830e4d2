/**
 * A private Postgres cluster for the chaos suite: initdb into a temp dir, started with pg_ctl on
 * its own port and socket dir, so a scenario may stop and restart it without touching the machine's
 * shared Postgres. fsync is off (the suite tests our recovery, not Postgres's), and the data dir is
 * removed by `destroy()`.
 *
 * initdb refuses to run as root; when we are root the cluster is owned by and run as `postgres`.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresCluster {
  port: number;
  /** A connection URL for `database` on this cluster. */
  url(database: string): string;
  start(): void;
  /** Fast shutdown: active connections are terminated, as in a real restart. */
  stop(): void;
  restart(): void;
  destroy(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no Postgres server binaries under ${root}`);
  return join(root, newest, 'bin');
}

export function createPostgresCluster(port: number): PostgresCluster {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'chaos-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  let uid = 0;
  let gid = 0;
  if (asRoot) {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]): void => {
    const opts = { stdio: 'pipe' as const, cwd: dir, timeout: 120_000 };
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], opts);
    else execFileSync(join(bin, tool), args, opts);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400`;
  const pgCtl = (...args: string[]): void => run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), ...args]);

  const cluster: PostgresCluster = {
    port,
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    start: () => pgCtl('-o', serverOptions, '-w', '-t', '60', 'start'),
    stop: () => pgCtl('-m', 'fast', '-w', '-t', '60', 'stop'),
    restart: () => pgCtl('-o', serverOptions, '-m', 'fast', '-w', '-t', '60', 'restart'),
    destroy() {
      try {
        pgCtl('-m', 'immediate', '-w', '-t', '30', 'stop');
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
