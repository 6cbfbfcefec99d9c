import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763856000000 implements MigrationInterface {
  name = 'InitialSchema1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE instances (
        instance_id varchar(255) PRIMARY KEY,
        runtime_id varchar(255) NOT NULL,
        global_account_id varchar(255) NOT NULL DEFAULT '',
        subaccount_id varchar(255) NOT NULL DEFAULT '',
        service_id varchar(255) NOT NULL,
        plan_id varchar(255) NOT NULL,
        plan_name varchar(64) NOT NULL,
        platform_region varchar(64) NOT NULL,
        provider_region varchar(64) NOT NULL DEFAULT '',
        provider varchar(64) NOT NULL DEFAULT '',
        eu_access boolean NOT NULL DEFAULT false,
        shoot_name varchar(64) NOT NULL,
        parameters jsonb NOT NULL DEFAULT '{}',
        context jsonb NOT NULL DEFAULT '{}',
        created_by varchar(512) NOT NULL DEFAULT '',
        dashboard_url varchar(1024) NOT NULL DEFAULT '',
        api_server_url varchar(1024) NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz NULL
      )`);
    // /info/runtimes pages by created_at and filters on these columns; indexes keep a page's cost independent of the table size.
    await q.query(`CREATE INDEX instances_created_at_idx ON instances (created_at, instance_id)`);
    await q.query(`CREATE INDEX instances_global_account_idx ON instances (global_account_id)`);
    await q.query(`CREATE INDEX instances_subaccount_idx ON instances (subaccount_id)`);
    await q.query(`CREATE INDEX instances_runtime_id_idx ON instances (runtime_id)`);
    await q.query(`CREATE INDEX instances_shoot_name_idx ON instances (shoot_name)`);
    await q.query(`
      CREATE TABLE operations (
        id varchar(64) PRIMARY KEY,
        instance_id varchar(255) NOT NULL,
        type varchar(32) NOT NULL,
        state varchar(32) NOT NULL,
        description text NOT NULL DEFAULT '',
        step varchar(64) NOT NULL DEFAULT '',
        attempts integer NOT NULL DEFAULT 0,
        data jsonb NOT NULL DEFAULT '{}',
        lease_owner varchar(128) NULL,
        lease_expires_at timestamptz NULL,
        next_attempt_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        finished_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX operations_instance_created_idx ON operations (instance_id, created_at)`);
    await q.query(
      `CREATE INDEX operations_runnable_idx ON operations (next_attempt_at) WHERE state IN ('pending', 'in progress')`,
    );
    await q.query(`
      CREATE TABLE bindings (
        instance_id varchar(255) NOT NULL,
        binding_id varchar(255) NOT NULL,
        kubeconfig_ciphertext text NULL,
        key_id varchar(64) NULL,
        binding_type varchar(32) NOT NULL,
        expiration_seconds integer NOT NULL,
        parameters_hash varchar(128) NOT NULL,
        created_by varchar(512) NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        state varchar(16) NOT NULL,
        PRIMARY KEY (instance_id, binding_id)
      )`);
    await q.query(`CREATE INDEX bindings_expires_at_idx ON bindings (expires_at)`);
    await q.query(`
      CREATE TABLE job_leases (
        name varchar(64) PRIMARY KEY,
        owner varchar(128) NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE job_leases');
    await q.query('DROP TABLE bindings');
    await q.query('DROP TABLE operations');
    await q.query('DROP TABLE instances');
  }
}
