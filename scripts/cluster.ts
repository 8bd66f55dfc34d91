/**
 * `npm run cluster`: a production-like cluster on this machine (docs/operations.md#cluster):
 * PostgreSQL 15 primary and a streaming replica (pg_basebackup -R) in /tmp, three real app
 * processes (two of them run the jobs, so that one may die), HAProxy in front with health checks
 * on /health/ready. Runs as root (PostgreSQL runs as the postgres user) or as postgres.
 * The cluster test suite (tests/cluster) starts it through `startCluster`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pgBin = (name: string) => `/usr/lib/postgresql/15/bin/${name}`;

export interface ClusterOptions {
  /** Directory of everything the cluster writes (databases, logs, HAProxy config). */
  dir?: string;
  /** HAProxy's port; the apps take the next three. */
  port?: number;
  /** PostgreSQL primary's port; the replica takes the next one. */
  pgPort?: number;
  /** More environment for every app (SMTP_URL of a test's capture server…). */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export interface AppProcess {
  name: string;
  port: number;
  url: string;
  worker: boolean;
  child: ChildProcess | undefined;
}

export interface Cluster {
  url: string;
  primaryUrl: string;
  replicaUrl: string;
  metricsToken: string;
  apps: AppProcess[];
  start(app: AppProcess): Promise<void>;
  /** SIGTERM (graceful) or SIGKILL; resolves when the process has exited. */
  stopApp(app: AppProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const asPostgres = (cmd: string, args: string[]) => {
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
};

async function waitFor(url: string, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000} s (${url})`);
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const port = options.port ?? 3180;
  const pgPort = options.pgPort ?? 5440;
  const dir = options.dir ?? path.join(os.tmpdir(), `rpps-cluster-${port}`);
  const log = options.log ?? ((line: string) => process.stdout.write(`cluster: ${line}\n`));
  const metricsToken = 'cluster-metrics-token-not-a-secret';

  // PostgreSQL: a primary, a streaming replica made by pg_basebackup -R. Scratch cluster: trust
  // authentication on the loopback only.
  const stopPg = (name: string) => {
    if (fs.existsSync(path.join(dir, name, 'postmaster.pid'))) {
      try {
        asPostgres(pgBin('pg_ctl'), ['-D', path.join(dir, name), '-m', 'immediate', 'stop']);
      } catch {
        // already stopped
      }
    }
  };
  stopPg('replica');
  stopPg('primary');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  const primary = path.join(dir, 'primary');
  const replica = path.join(dir, 'replica');
  log(`PostgreSQL primary on ${pgPort}, replica on ${pgPort + 1} (${dir})`);
  asPostgres(pgBin('initdb'), ['-D', primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  fs.appendFileSync(
    path.join(primary, 'postgresql.conf'),
    [
      `port = ${pgPort}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      'wal_level = replica',
      'max_wal_senders = 5',
      'hot_standby = on',
      'max_connections = 200',
      // Scratch data: speed over durability (the tests kill app processes, not PostgreSQL).
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      '',
    ].join('\n'),
  );
  fs.appendFileSync(path.join(primary, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
  asPostgres(pgBin('pg_ctl'), ['-D', primary, '-l', path.join(dir, 'primary.log'), '-w', 'start']);
  const psql = (sql: string) => asPostgres(pgBin('psql'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'postgres', '-qAtc', sql]);
  psql(`create role rpps login password 'rpps'`);
  psql('create database rpps owner rpps');
  asPostgres(pgBin('pg_basebackup'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'postgres', '-D', replica, '-R', '-X', 'stream', '-c', 'fast']);
  fs.appendFileSync(path.join(replica, 'postgresql.auto.conf'), `port = ${pgPort + 1}\n`);
  asPostgres(pgBin('pg_ctl'), ['-D', replica, '-l', path.join(dir, 'replica.log'), '-w', 'start']);
  const primaryUrl = `postgres://rpps:rpps@127.0.0.1:${pgPort}/rpps`;
  const replicaUrl = `postgres://rpps:rpps@127.0.0.1:${pgPort + 1}/rpps`;

  const apps: AppProcess[] = [1, 2, 3].map((n) => ({
    name: `app${n}`,
    port: port + n,
    url: `http://127.0.0.1:${port + n}`,
    // app1 serves HTTP only; app2 and app3 also run the jobs (one can die, the other goes on).
    worker: n !== 1,
    child: undefined,
  }));

  const start = async (app: AppProcess, demo = false) => {
    const out = fs.openSync(path.join(dir, `${app.name}.log`), 'a');
    const child = spawn(process.execPath, ['src/server/main.ts'], {
      cwd: root,
      stdio: ['ignore', out, out],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(app.port),
        // Each process is its own issuer for the embedded identity providers (their
        // interaction state is in memory): sign in on one process, continue on any.
        PUBLIC_URL: app.url,
        DATABASE_URL: primaryUrl,
        DATABASE_READ_URL: replicaUrl,
        DATABASE_POOL_SIZE: '10',
        DATA_DIR: path.join(dir, app.name),
        JOBS_WORKER: String(app.worker),
        DEMO_DATA: String(demo),
        SHUTDOWN_DRAIN_SECONDS: '2',
        METRICS_TOKEN: metricsToken,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PUBLIC_PER_MINUTE: '100000',
        LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
        ...options.env,
      },
    });
    fs.closeSync(out);
    app.child = child;
    await waitFor(`${app.url}/health/ready`, 180_000, app.name);
  };

  const stopApp = async (app: AppProcess, signal: 'SIGTERM' | 'SIGKILL') => {
    const child = app.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    app.child = undefined;
  };

  // HAProxy: round robin, health checks on /health/ready, a refused connection is retried on
  // another process (never a request that reached one: it may have been processed).
  const haproxyCfg = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(
    haproxyCfg,
    [
      'global',
      '  maxconn 2000',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  retries 3',
      '  option redispatch',
      '  retry-on conn-failure',
      '  option http-server-close',
      'frontend rpps',
      `  bind 127.0.0.1:${port}`,
      '  default_backend apps',
      'backend apps',
      '  balance roundrobin',
      '  option httpchk GET /health/ready',
      '  http-check expect status 200',
      '  default-server inter 500ms fall 1 rise 2',
      ...apps.map((a) => `  server ${a.name} 127.0.0.1:${a.port} check`),
      '',
    ].join('\n'),
  );
  let haproxy: ChildProcess | undefined;

  const stop = async () => {
    haproxy?.kill('SIGTERM');
    await Promise.all(apps.map((a) => stopApp(a, 'SIGTERM')));
    stopPg('replica');
    stopPg('primary');
  };

  try {
    log('app1 (HTTP, demo data), then app2 and app3 (HTTP + jobs)');
    await start(apps[0]!, true);
    await Promise.all([start(apps[1]!), start(apps[2]!)]);
    const hlog = fs.openSync(path.join(dir, 'haproxy.log'), 'a');
    haproxy = spawn('haproxy', ['-f', haproxyCfg, '-db'], { stdio: ['ignore', hlog, hlog] });
    fs.closeSync(hlog);
    await waitFor(`http://127.0.0.1:${port}/health/ready`, 30_000, 'HAProxy');
  } catch (err) {
    await stop();
    throw err;
  }
  log(`ready: http://127.0.0.1:${port}/ (HAProxy) → ${apps.map((a) => `${a.name} :${a.port}${a.worker ? ' +jobs' : ''}`).join(', ')}`);
  return { url: `http://127.0.0.1:${port}`, primaryUrl, replicaUrl, metricsToken, apps, start: (a) => start(a), stopApp, stop };
}

if (import.meta.main) {
  const cluster = await startCluster();
  process.stdout.write(`\nRPPS+ cluster: ${cluster.url}/  (Ctrl-C stops it)\nmetrics: curl -H 'authorization: Bearer ${cluster.metricsToken}' ${cluster.apps[0]!.url}/metrics\n`);
  const shutdown = () => void cluster.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
