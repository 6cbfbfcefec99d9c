import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A named lease row: lets one replica run a periodic job while the others skip it. */
@Injectable()
export class JobLeaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes the lease if it is free, expired, or already ours. */
  async acquire(name: string, owner: string, now: Date, until: Date): Promise<boolean> {
    const result: unknown[] = await this.dataSource.query(
      `INSERT INTO job_leases (name, owner, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
        WHERE job_leases.expires_at < $4 OR job_leases.owner = $2
       RETURNING owner`,
      [name, owner, until, now],
    );
    const rows = (Array.isArray(result[0]) ? result[0] : result) as unknown[];
    return rows.length > 0;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM job_leases WHERE name = $1 AND owner = $2`, [name, owner]);
  }
}
