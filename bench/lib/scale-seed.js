'use strict';
// Seeds a bench database straight with SQL (generate_series), in the row shapes the broker writes
// (see test/factories/instances.ts and the migrations): instances and their operations, and expired bindings.
// Operations are inserted after their instances, so the migration's triggers keep instances.last_operation_id
// as they do for the broker.

const SERVICE_ID = '47c9dcbf-ff30-448e-ab36-d3bad66ba281';
// plan id, plan name, provider, provider region, by n % 4
const PLANS_SQL = `(VALUES
  (0, '361c511f-f939-4621-b228-d0fb79a1fe15', 'aws', 'aws', 'eu-central-1'),
  (1, '4deee563-e5ec-4731-b9b1-53b42d855f0c', 'azure', 'azure', 'westeurope'),
  (2, 'ca6e5357-707f-4565-bbbd-b3ab732597c6', 'gcp', 'gcp', 'europe-west3'),
  (3, '7d55d31d-35ae-4438-bf13-6ffdfa107d9f', 'trial', 'aws', 'eu-central-1')) AS p(k, plan_id, plan_name, provider, region)`;
const PLATFORM_REGIONS_SQL = `(VALUES (0, 'cf-eu10'), (1, 'cf-us10'), (2, 'cf-eu11'), (3, 'cf-jp10'), (4, 'cf-ap21')) AS r(k, platform_region)`;

/**
 * The state mix, by n % 20: 70 % provisioned; 10 % deprovisioned (deleted_at set); 5 % updated; 5 % failed
 * provisioning; 5 % provisioning in progress (next attempt far ahead, so the engine leaves it alone);
 * 5 % failed update (state "error"). Global account ga-<n / 10>: 10 runtimes per account at any table size.
 */
async function seedRuntimes(client, from, to) {
  const instanceId = `'inst-' || lpad(n::text, 7, '0')`;
  const createdAt = `timestamptz '2025-01-01 00:00:00+00' + n * interval '1 second'`;
  await client.query(
    `INSERT INTO instances (instance_id, runtime_id, global_account_id, subaccount_id, service_id, plan_id, plan_name,
        platform_region, provider_region, provider, eu_access, shoot_name, parameters, context, created_by,
        dashboard_url, api_server_url, created_at, updated_at, deleted_at)
     SELECT ${instanceId}, md5('runtime' || n)::uuid::text, 'ga-' || (n / 10), 'sa-' || n, $3, p.plan_id, p.plan_name,
        r.platform_region, p.region, p.provider, r.platform_region = 'cf-eu11', 'c-' || substr(md5('shoot' || n), 1, 7),
        jsonb_build_object('name', 'runtime-' || n, 'region', p.region), jsonb_build_object('globalaccount_id', 'ga-' || (n / 10)),
        'bench@example.com', 'https://dashboard.example.com/?runtime=' || n, 'https://api.c-' || n || '.example.com',
        ${createdAt}, ${createdAt} + interval '5 minutes',
        CASE WHEN n % 20 IN (14, 15) THEN ${createdAt} + interval '2 hours' END
       FROM generate_series($1::int, $2::int) n
       JOIN ${PLANS_SQL} ON p.k = n % 4
       JOIN ${PLATFORM_REGIONS_SQL} ON r.k = n % 5`,
    [from, to, SERVICE_ID],
  );
  // Provisioning operation of every instance.
  await client.query(
    `INSERT INTO operations (id, instance_id, type, state, description, step, attempts, data, next_attempt_at, created_at, updated_at, finished_at)
     SELECT 'op-' || n || '-p', ${instanceId}, 'provision',
            CASE n % 20 WHEN 17 THEN 'failed' WHEN 18 THEN 'in progress' ELSE 'succeeded' END,
            CASE n % 20 WHEN 17 THEN 'shoot creation failed' WHEN 18 THEN 'waiting for the shoot' ELSE 'runtime ready' END,
            CASE n % 20 WHEN 18 THEN 'wait_shoot_ready' ELSE '' END, 0, '{}'::jsonb,
            CASE n % 20 WHEN 18 THEN now() + interval '365 days' ELSE ${createdAt} END,
            ${createdAt}, ${createdAt} + interval '5 minutes',
            CASE n % 20 WHEN 18 THEN NULL ELSE ${createdAt} + interval '5 minutes' END
       FROM generate_series($1::int, $2::int) n`,
    [from, to],
  );
  // A second operation for some: deprovision (14, 15), successful update (16), failed update (19).
  await client.query(
    `INSERT INTO operations (id, instance_id, type, state, description, step, attempts, data, next_attempt_at, created_at, updated_at, finished_at)
     SELECT 'op-' || n || '-2', ${instanceId},
            CASE WHEN n % 20 IN (14, 15) THEN 'deprovision' ELSE 'update' END,
            CASE n % 20 WHEN 19 THEN 'failed' ELSE 'succeeded' END, 'done', '', 0, '{}'::jsonb,
            ${createdAt} + interval '1 hour', ${createdAt} + interval '1 hour', ${createdAt} + interval '2 hours',
            ${createdAt} + interval '2 hours'
       FROM generate_series($1::int, $2::int) n
      WHERE n % 20 IN (14, 15, 16, 19)`,
    [from, to],
  );
  // The triggers wrote +1/-1 rows into runtime_counts for every insert; the broker folds them at start-up and
  // then every RUNTIME_COUNTS_COMPACT_INTERVAL_MS. Folded here already, so that no measurement races that.
  await client.query('SELECT runtime_counts_rebuild()');
  for (const table of ['instances', 'operations', 'runtime_states', 'runtime_counts']) {
    await client.query(`VACUUM ANALYZE ${table}`);
  }
}

/**
 * `count` expired bindings spread over the deprovisioned instances (as many per instance as needed), each with
 * an incompressible ciphertext of `ciphertextLength` characters (the size the broker stores).
 */
async function seedExpiredBindings(client, count, ciphertextLength) {
  const { rows } = await client.query('SELECT count(*)::int AS n FROM instances WHERE deleted_at IS NOT NULL');
  const instances = rows[0].n;
  if (instances === 0) {
    throw new Error('no deprovisioned instances to attach bindings to');
  }
  const perInstance = Math.ceil(count / instances);
  // 1,000 distinct random-looking strings (hex of md5s), reused round-robin: each value on its own is incompressible.
  await client.query(
    `CREATE TEMP TABLE bench_ciphertexts AS
    SELECT k, substr(string_agg(md5(k::text || '-' || j::text), '' ORDER BY j), 1, $1::int) AS text
      FROM generate_series(0, 999) k, generate_series(1, ceil($1::int / 32.0)::int) j GROUP BY k`,
    [ciphertextLength],
  );
  await client.query(
    `INSERT INTO bindings (instance_id, binding_id, kubeconfig_ciphertext, key_id, binding_type, expiration_seconds,
        parameters_hash, created_by, created_at, expires_at, state)
     SELECT i.instance_id, 'bench-expired-' || i.rn || '-' || g, c.text, 'k1', 'token_request', 600, md5(i.rn || '-' || g),
            'bench@example.com', now() - interval '3 hours' + (i.rn * 10 + g) * interval '1 ms',
            now() - interval '2 hours' + (i.rn * 10 + g) * interval '1 ms', 'ready'
       FROM (SELECT instance_id, row_number() OVER (ORDER BY instance_id) AS rn FROM instances WHERE deleted_at IS NOT NULL) i
       CROSS JOIN generate_series(1, $1::int) g
       JOIN bench_ciphertexts c ON c.k = (i.rn * 10 + g) % 1000
      ORDER BY i.rn, g
      LIMIT $2`,
    [perInstance, count],
  );
  await client.query('DROP TABLE bench_ciphertexts');
  await client.query('VACUUM ANALYZE bindings');
  return { instances, perInstance };
}

module.exports = { seedRuntimes, seedExpiredBindings };
