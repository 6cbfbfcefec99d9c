/**
 * The two storage backends every storage test runs against. Both are prepared once per test run by
 * global-setup.ts: a fresh database on the PostgreSQL server and an embedded PGlite served on a socket.
 */
export type Backend = 'postgres' | 'embedded';
export const BACKENDS: Backend[] = ['postgres', 'embedded'];

export function databaseUrl(backend: Backend): string {
  const url = backend === 'postgres' ? process.env.KBT_PG_URL : process.env.KBT_EMBEDDED_URL;
  if (!url) {
    throw new Error(`test database for ${backend} is not prepared: run the tests through jest (global-setup.ts)`);
  }
  return url;
}
