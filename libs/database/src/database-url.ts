import { Client } from 'pg';
import { ServiceName } from '@app/contracts';

/** `shuanglai_<region>_<service>[_<suffix>]`: one database per region and service (and per test run). */
export function databaseName(region: string, service: ServiceName, suffix?: string): string {
  return ['shuanglai', region, service, suffix]
    .filter(Boolean)
    .join('_')
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase();
}

/** The same server as `serverUrl`, with another database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates the database named in `url` if it is missing, connecting to the server's `postgres` database. */
export async function ensureDatabase(url: string): Promise<void> {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!database) throw new Error('DATABASE_URL names no database');
  const admin = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      await admin.query(`create database "${database.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        // 42P04 duplicate_database, 23505: another instance created it between our check and our create.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await admin.end();
  }
}

/** Drops a database (tests clean up after themselves), closing other sessions on it first. */
export async function dropDatabase(url: string): Promise<void> {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${database.replace(/"/g, '""')}" with (force)`);
  } finally {
    await admin.end();
  }
}
