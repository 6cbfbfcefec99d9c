import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What `/runtimes` needs to page and count with state filters without scanning every operation:
 *
 * - `operations.runtime_state`: the runtime state an operation implies when it is an instance's last one
 *   (KEB's adjustRuntimeState, see src/runtimes-info/runtime-state.ts, which must stay equal to it). A
 *   stored generated column, so the planner has statistics for it and it can be indexed.
 * - `instances.last_operation_id` (as in KEB's schema), kept by triggers so that no writer has to know:
 *   every insert of an operation happens while its instance row is already locked by the same
 *   transaction (insert of the instance, or `withLockedInstance`), so the trigger's UPDATE never waits on
 *   another lock. Only inserts and deletes fire it: state changes of an operation need no instance write,
 *   which is why the state lives on the operation and not on the instance (that would make the engine's
 *   step updates take instance row locks and deadlock with a deprovisioning that cancels them).
 * - indexes for the filters that had none (plan, provider region, platform region).
 */
export class RuntimesInfoIndexes1795391400000 implements MigrationInterface {
  name = 'RuntimesInfoIndexes1795391400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE operations ADD COLUMN runtime_state varchar(32) GENERATED ALWAYS AS (
        CASE
          WHEN state = 'succeeded' THEN CASE WHEN type = 'deprovision' THEN 'deprovisioned' ELSE 'succeeded' END
          WHEN state = 'failed' THEN CASE WHEN type = 'update' THEN 'error' ELSE 'failed' END
          WHEN type = 'provision' THEN 'provisioning'
          WHEN type = 'deprovision' THEN 'deprovisioning'
          ELSE 'updating'
        END) STORED`);
    await q.query(`CREATE INDEX operations_runtime_state_idx ON operations (runtime_state)`);

    await q.query(`ALTER TABLE instances ADD COLUMN last_operation_id varchar(64) NULL`);
    await q.query(`
      UPDATE instances i SET last_operation_id = (
        SELECT o.id FROM operations o WHERE o.instance_id = i.instance_id ORDER BY o.created_at DESC, o.id DESC LIMIT 1)`);
    await q.query(`CREATE INDEX instances_last_operation_idx ON instances (last_operation_id)`);

    // A newer operation becomes the last one; an out-of-order insert (older created_at) does not.
    await q.query(`
      CREATE FUNCTION runtimes_info_operation_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE instances i SET last_operation_id = NEW.id
         WHERE i.instance_id = NEW.instance_id
           AND NOT EXISTS (
             SELECT 1 FROM operations cur
              WHERE cur.id = i.last_operation_id AND (cur.created_at, cur.id) > (NEW.created_at, NEW.id));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER runtimes_info_operation_inserted AFTER INSERT ON operations
        FOR EACH ROW EXECUTE FUNCTION runtimes_info_operation_inserted()`);
    await q.query(`
      CREATE FUNCTION runtimes_info_operation_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE instances i SET last_operation_id = (
          SELECT o.id FROM operations o WHERE o.instance_id = OLD.instance_id ORDER BY o.created_at DESC, o.id DESC LIMIT 1)
         WHERE i.instance_id = OLD.instance_id AND i.last_operation_id = OLD.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER runtimes_info_operation_deleted AFTER DELETE ON operations
        FOR EACH ROW EXECUTE FUNCTION runtimes_info_operation_deleted()`);
    // Operations written before their instance (only test fixtures do that) are picked up on insert.
    await q.query(`
      CREATE FUNCTION runtimes_info_instance_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.last_operation_id IS NULL THEN
          NEW.last_operation_id := (
            SELECT o.id FROM operations o WHERE o.instance_id = NEW.instance_id ORDER BY o.created_at DESC, o.id DESC LIMIT 1);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER runtimes_info_instance_inserted BEFORE INSERT ON instances
        FOR EACH ROW EXECUTE FUNCTION runtimes_info_instance_inserted()`);

    await q.query(`CREATE INDEX instances_plan_name_idx ON instances (plan_name)`);
    await q.query(`CREATE INDEX instances_provider_region_idx ON instances (provider_region)`);
    await q.query(`CREATE INDEX instances_platform_region_idx ON instances (platform_region)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX instances_platform_region_idx');
    await q.query('DROP INDEX instances_provider_region_idx');
    await q.query('DROP INDEX instances_plan_name_idx');
    await q.query('DROP TRIGGER runtimes_info_instance_inserted ON instances');
    await q.query('DROP FUNCTION runtimes_info_instance_inserted()');
    await q.query('DROP TRIGGER runtimes_info_operation_deleted ON operations');
    await q.query('DROP FUNCTION runtimes_info_operation_deleted()');
    await q.query('DROP TRIGGER runtimes_info_operation_inserted ON operations');
    await q.query('DROP FUNCTION runtimes_info_operation_inserted()');
    await q.query('DROP INDEX instances_last_operation_idx');
    await q.query('ALTER TABLE instances DROP COLUMN last_operation_id');
    await q.query('DROP INDEX operations_runtime_state_idx');
    await q.query('ALTER TABLE operations DROP COLUMN runtime_state');
  }
}
