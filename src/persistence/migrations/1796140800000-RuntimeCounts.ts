import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets `/runtimes` answer `totalCount` for broad listings (no filter, or only state, plan and regions)
 * without counting the matching runtimes, so that the cost of a page does not grow with the table:
 *
 * - `runtime_states`: one row per instance with what the counts are keyed by (its state, from its last
 *   operation, and its plan and regions) and its place in the listing's order. Kept by triggers, like
 *   `instances.last_operation_id`. Its narrow index finds a page of the listing without touching instances.
 * - `runtime_counts`: signed changes (+1/-1) per key, inserted by the same triggers in the same transaction
 *   as the change itself, so a snapshot always sees counts that agree with the rows. Inserting (never
 *   updating) a shared counter row means concurrent writers never wait for each other there. The broker
 *   folds the changes per key from time to time (RuntimeCountsCompactor), so a count sums a few rows per key.
 *
 * Why a row of its own per instance: state changes of an operation come without the instance's row lock (the
 *   engine's step updates; see RuntimesInfoIndexes1795391400000), and a plan change of the instance comes without
 *   the operation's. Both meet on the `runtime_states` row, locked as the last lock of every writer (after the
 *   instance or operation row it already holds), so the -1 always names the key that was counted before and two
 *   writers never wait on each other in opposite orders.
 *
 * Deleting operations (the broker never does; fixtures and manual repairs may) re-reads the state of the
 *   operation that becomes the last one; a concurrent state change of that very operation can then be missed
 *   until it changes again. `SELECT runtime_counts_rebuild()` recomputes everything.
 */
export class RuntimeCounts1796140800000 implements MigrationInterface {
  name = 'RuntimeCounts1796140800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE runtime_states (
        instance_id varchar(255) PRIMARY KEY,
        last_operation_id varchar(64) NULL,
        runtime_state varchar(32) NULL,
        plan_name varchar(64) NOT NULL,
        provider_region varchar(64) NOT NULL,
        platform_region varchar(64) NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    // The listing's order with its filters beside it: a page (by number too) is found in this index alone.
    await q.query(`
      CREATE INDEX runtime_states_listing_idx ON runtime_states (created_at, instance_id)
        INCLUDE (runtime_state, plan_name, provider_region, platform_region)`);
    // Rare values (a plan, region or state with few runtimes) are found by these rather than by walking the order.
    // They replace the instance and operation indexes the listing used before (RuntimesInfoIndexes1795391400000).
    for (const column of ['runtime_state', 'plan_name', 'provider_region', 'platform_region']) {
      await q.query(`CREATE INDEX runtime_states_${column}_idx ON runtime_states (${column})`);
    }
    await q.query('DROP INDEX operations_runtime_state_idx');
    for (const column of ['plan_name', 'provider_region', 'platform_region']) {
      await q.query(`DROP INDEX instances_${column}_idx`);
    }
    await q.query(`
      CREATE TABLE runtime_counts (
        runtime_state varchar(32) NOT NULL,
        plan_name varchar(64) NOT NULL,
        provider_region varchar(64) NOT NULL,
        platform_region varchar(64) NOT NULL,
        runtimes bigint NOT NULL
      )`);

    // An instance without operations has no state and is not listed, so it is not counted either.
    await q.query(`
      CREATE FUNCTION runtime_counts_add(s runtime_states, n integer) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF s.runtime_state IS NOT NULL THEN
          INSERT INTO runtime_counts VALUES (s.runtime_state, s.plan_name, s.provider_region, s.platform_region, n);
        END IF;
      END $$`);
    await q.query(`
      CREATE FUNCTION runtime_states_replace(before runtime_states, after runtime_states) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF before IS NOT DISTINCT FROM after THEN
          RETURN;
        END IF;
        UPDATE runtime_states
           SET last_operation_id = after.last_operation_id, runtime_state = after.runtime_state,
               plan_name = after.plan_name, provider_region = after.provider_region,
               platform_region = after.platform_region, created_at = after.created_at
         WHERE instance_id = before.instance_id;
        IF (before.runtime_state, before.plan_name, before.provider_region, before.platform_region)
           IS DISTINCT FROM (after.runtime_state, after.plan_name, after.provider_region, after.platform_region) THEN
          PERFORM runtime_counts_add(before, -1);
          PERFORM runtime_counts_add(after, 1);
        END IF;
      END $$`);

    await q.query(`
      CREATE FUNCTION runtime_states_instance_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        before runtime_states;
        after runtime_states;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          after := ROW(NEW.instance_id, NEW.last_operation_id,
                       (SELECT o.runtime_state FROM operations o WHERE o.id = NEW.last_operation_id),
                       NEW.plan_name, NEW.provider_region, NEW.platform_region, NEW.created_at);
          INSERT INTO runtime_states VALUES (after.*);
          PERFORM runtime_counts_add(after, 1);
          RETURN NULL;
        END IF;
        -- Lock first, read second: the operation's state read below (a new snapshot in READ COMMITTED)
        -- then includes every change whose trigger ran before ours.
        SELECT * INTO before FROM runtime_states WHERE instance_id = OLD.instance_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN NULL;
        END IF;
        IF TG_OP = 'DELETE' THEN
          DELETE FROM runtime_states WHERE instance_id = OLD.instance_id;
          PERFORM runtime_counts_add(before, -1);
          RETURN NULL;
        END IF;
        after := before;
        after.plan_name := NEW.plan_name;
        after.provider_region := NEW.provider_region;
        after.platform_region := NEW.platform_region;
        after.created_at := NEW.created_at;
        IF NEW.last_operation_id IS DISTINCT FROM before.last_operation_id THEN
          after.last_operation_id := NEW.last_operation_id;
          after.runtime_state := (SELECT o.runtime_state FROM operations o WHERE o.id = NEW.last_operation_id);
        END IF;
        PERFORM runtime_states_replace(before, after);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER runtime_states_instance_changed
        AFTER INSERT OR DELETE OR UPDATE OF last_operation_id, plan_name, provider_region, platform_region, created_at
          ON instances
        FOR EACH ROW EXECUTE FUNCTION runtime_states_instance_changed()`);

    // Only the last operation of an instance decides its state. FOR UPDATE re-checks the condition on the
    // newest row version after waiting, so an operation that stopped being the last meanwhile changes nothing.
    await q.query(`
      CREATE FUNCTION runtime_states_operation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        before runtime_states;
        after runtime_states;
      BEGIN
        SELECT * INTO before FROM runtime_states
         WHERE instance_id = NEW.instance_id AND last_operation_id = NEW.id FOR UPDATE;
        IF FOUND THEN
          after := before;
          after.runtime_state := NEW.runtime_state;
          PERFORM runtime_states_replace(before, after);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER runtime_states_operation_changed AFTER UPDATE ON operations
        FOR EACH ROW WHEN (OLD.runtime_state IS DISTINCT FROM NEW.runtime_state)
        EXECUTE FUNCTION runtime_states_operation_changed()`);

    await q.query(`
      CREATE FUNCTION runtime_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        LOCK TABLE instances, operations IN SHARE MODE;
        DELETE FROM runtime_states;
        DELETE FROM runtime_counts;
        INSERT INTO runtime_states
          SELECT i.instance_id, i.last_operation_id, o.runtime_state, i.plan_name, i.provider_region, i.platform_region,
                 i.created_at
            FROM instances i LEFT JOIN operations o ON o.id = i.last_operation_id;
        INSERT INTO runtime_counts
          SELECT runtime_state, plan_name, provider_region, platform_region, count(*)
            FROM runtime_states WHERE runtime_state IS NOT NULL
           GROUP BY 1, 2, 3, 4;
      END $$`);
    await q.query('SELECT runtime_counts_rebuild()');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION runtime_counts_rebuild()');
    await q.query('DROP TRIGGER runtime_states_operation_changed ON operations');
    await q.query('DROP FUNCTION runtime_states_operation_changed()');
    await q.query('DROP TRIGGER runtime_states_instance_changed ON instances');
    await q.query('DROP FUNCTION runtime_states_instance_changed()');
    await q.query('DROP FUNCTION runtime_states_replace(runtime_states, runtime_states)');
    await q.query('DROP FUNCTION runtime_counts_add(runtime_states, integer)');
    await q.query('DROP TABLE runtime_counts');
    for (const column of ['plan_name', 'provider_region', 'platform_region']) {
      await q.query(`CREATE INDEX instances_${column}_idx ON instances (${column})`);
    }
    await q.query('CREATE INDEX operations_runtime_state_idx ON operations (runtime_state)');
    await q.query('DROP TABLE runtime_states');
  }
}
