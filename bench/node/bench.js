#!/usr/bin/env node
// The node-postgres baseline: the same stored-function calls as the pgfns benchmarks, made
//   original: the way Taskcluster's lib-postgres makes them (per call: check a client out of
//             the pool, `begin read only` or `begin read write`, `select * from "fn"($1,...)`,
//             `commit`, release), three round trips per call;
//   single:   one `select * from "fn"($1,...)` per call through pool.query, one round trip.
// C workers share a pool of P connections; each worker makes one call at a time. The run
// lasts --warmup + --seconds (or stops at --max-calls) and prints one JSON line.
'use strict';

const {Pool} = require('pg');

const usage = `usage: node bench.js --read-url URL [options]
  --write-url URL       primary for write calls (default: --read-url)
  --style S             original | single (default original)
  --scenario S          read | mixed (default read)
  --concurrency C       concurrent workers (default 4)
  --pool P              connections per pool (default 4)
  --seconds S           measured time (default 5)
  --warmup S            unmeasured time before it (default 0.5)
  --max-calls N         stop after N measured calls (default 10000000)
  --rows N              ids are drawn from 1..N (default 10000)
  --read-call SPEC      read method and arguments (default "get_product(id)")
  --write-call SPEC     write method and arguments (default "set_stock(id,rand)")
  --write-percent N     mixed: share of write calls in percent (default 20)
SPEC arguments: id (a random id), rand (a random integer 0..999) or an integer literal.`;

function parseArgs(argv) {
  const o = {
    readUrl: '', writeUrl: '', style: 'original', scenario: 'read', concurrency: 4, pool: 4,
    seconds: 5, warmup: 0.5, maxCalls: 10000000, rows: 10000, readCall: 'get_product(id)',
    writeCall: 'set_stock(id,rand)', writePercent: 20,
  };
  const names = {
    '--read-url': ['readUrl', String], '--write-url': ['writeUrl', String],
    '--style': ['style', String], '--scenario': ['scenario', String],
    '--concurrency': ['concurrency', Number], '--pool': ['pool', Number],
    '--seconds': ['seconds', Number], '--warmup': ['warmup', Number],
    '--max-calls': ['maxCalls', Number], '--rows': ['rows', Number],
    '--read-call': ['readCall', String], '--write-call': ['writeCall', String],
    '--write-percent': ['writePercent', Number],
  };
  for (let i = 0; i < argv.length; i += 2) {
    const spec = names[argv[i]];
    if (!spec || i + 1 >= argv.length) throw new Error(`unknown or incomplete option '${argv[i]}'\n${usage}`);
    const value = spec[1](argv[i + 1]);
    if (spec[1] === Number && !Number.isFinite(value)) throw new Error(`${argv[i]}: not a number: '${argv[i + 1]}'`);
    o[spec[0]] = value;
  }
  if (!o.readUrl) throw new Error(`--read-url is required\n${usage}`);
  if (!o.writeUrl) o.writeUrl = o.readUrl;
  if (!['original', 'single'].includes(o.style)) throw new Error(`--style: original or single, not '${o.style}'`);
  if (!['read', 'mixed'].includes(o.scenario)) throw new Error(`--scenario: read or mixed, not '${o.scenario}'`);
  for (const k of ['concurrency', 'pool', 'rows', 'maxCalls']) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`${k} must be a positive integer`);
  }
  return o;
}

// "fn(id,rand,7)" -> {name, text: 'select * from "fn"($1,$2,$3)', args: () => [...]}.
function parseCall(spec, rows) {
  const m = /^([a-z0-9_]+)\((.*)\)$/.exec(spec);
  if (!m) throw new Error(`call '${spec}': expected name(arg,...)`);
  const makers = (m[2] ? m[2].split(',') : []).map(a => {
    if (a === 'id') return () => 1 + Math.floor(Math.random() * rows);
    if (a === 'rand') return () => Math.floor(Math.random() * 1000);
    if (/^-?[0-9]+$/.test(a)) return () => Number(a);
    throw new Error(`call '${spec}': unknown argument '${a}' (id, rand or an integer)`);
  });
  const placeholders = makers.map((_, i) => `$${i + 1}`).join(',');
  return {name: m[1], text: `select * from "${m[1]}"(${placeholders})`, args: () => makers.map(f => f())};
}

function makePool(url, size) {
  const pool = new Pool({connectionString: url, max: size});
  pool.on('error', () => {});  // an idle client's error surfaces on its next call
  return pool;
}

async function callOriginal(pool, call, write) {
  const client = await pool.connect();
  try {
    await client.query(write ? 'begin read write' : 'begin read only');
    try {
      const res = await client.query(call.text, call.args());
      await client.query('commit');
      return res.rows;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    }
  } finally {
    client.release();
  }
}

async function callSingle(pool, call) {
  return (await pool.query(call.text, call.args())).rows;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const readCall = parseCall(o.readCall, o.rows);
  const writeCall = parseCall(o.writeCall, o.rows);
  const readPool = makePool(o.readUrl, o.pool);
  const writePool = o.scenario === 'mixed' ? makePool(o.writeUrl, o.pool) : null;
  const invoke = o.style === 'original' ? callOriginal : callSingle;

  const start = process.hrtime.bigint();
  const measureFrom = start + BigInt(Math.round(o.warmup * 1e9));
  const stopAt = measureFrom + BigInt(Math.round(o.seconds * 1e9));
  const latencies = [];  // microseconds, measured calls only
  let measuredCalls = 0, errors = 0, emptyReads = 0, firstError = '';
  let cpuAtMeasure = null, measureStarted = null;

  async function worker() {
    for (;;) {
      const t0 = process.hrtime.bigint();
      if (t0 >= stopAt || measuredCalls >= o.maxCalls) return;
      if (t0 >= measureFrom && cpuAtMeasure === null) {
        cpuAtMeasure = process.cpuUsage();
        measureStarted = t0;
      }
      const write = o.scenario === 'mixed' && Math.random() * 100 < o.writePercent;
      try {
        const rows = await invoke(write ? writePool : readPool, write ? writeCall : readCall, write);
        if (!write && rows.length === 0) emptyReads++;
      } catch (err) {
        errors++;
        if (!firstError) firstError = `${err.code || ''} ${err.message}`.trim();
      }
      if (t0 >= measureFrom) {
        latencies.push(Number(process.hrtime.bigint() - t0) / 1000);
        measuredCalls++;
      }
    }
  }

  await Promise.all(Array.from({length: o.concurrency}, worker));
  const end = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuAtMeasure || undefined);
  await readPool.end();
  if (writePool) await writePool.end();

  latencies.sort((a, b) => a - b);
  const seconds = measureStarted === null ? 0 : Number(end - measureStarted) / 1e9;
  const result = {
    tool: 'node-postgres', style: o.style, scenario: o.scenario,
    concurrency: o.concurrency, pool: o.pool, calls: measuredCalls, errors, empty_reads: emptyReads,
    seconds: Number(seconds.toFixed(3)),
    calls_per_s: seconds > 0 ? Math.round(measuredCalls / seconds) : 0,
    p50_us: Math.round(percentile(latencies, 50)), p99_us: Math.round(percentile(latencies, 99)),
    cpu_us_per_call: measuredCalls > 0 ? Number(((cpu.user + cpu.system) / measuredCalls).toFixed(2)) : 0,
    peak_rss_kb: process.resourceUsage().maxRSS,
  };
  if (firstError) result.first_error = firstError;
  process.stdout.write(JSON.stringify(result) + '\n');
  if (errors > 0) process.exitCode = 1;
}

main().catch(err => {
  process.stderr.write(`bench.js: ${err.message}\n`);
  process.exitCode = 2;
});
