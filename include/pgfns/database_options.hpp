// How a database is set up: the schema and service, the servers, the pools.
#pragma once

#include <pgfns/monitor.hpp>
#include <pgfns/schema.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace pgfns {

// What stands between pgfns and the servers. Never guessed: a pooler is declared.
enum class pooler_mode {
  none,  // pgfns's connections are server sessions of their own
  // A pooler in transaction mode (pgbouncer's pool_mode = transaction) hands server sessions
  // from client to client between transactions, so nothing may rely on session state: no
  // settings at connect time (no `options` parameter: the URLs must not give one), no named
  // prepared statements. Each call is sent as one flight ending in its own sync point, so one
  // transaction: a statement applying the settings (statement_timeout, read-only on the read
  // pools, the text formats pgfns reads), the method's statement prepared unnamed, and the
  // sync. The server enforces them as it does for sessions; it costs one more statement per
  // call, no round trip. Upgrades and other admin commands need a direct URL.
  transaction,
};

struct database_options {
  std::shared_ptr<const pgfns::schema> schema;  // required
  // This service's name, as in access.yml or a method's serviceName ('-' and '_' alike);
  // decides who may write. async_start fails with errc::wrong_service for any other name.
  std::string service;
  std::string write_url;  // libpq URL or key=value string of the primary; required
  // The servers for read methods (hot standbys of the write server). read_url is one more
  // entry, after those of read_urls; with none at all, reads go to the write server (through
  // connections of their own, read-only).
  std::vector<std::string> read_urls;
  std::string read_url;

  std::size_t write_pool_size = 10;  // connections at most, per pool
  std::size_t read_pool_size = 10;
  // How many threads may drive the database's connections at once: with N > 1 the database is
  // N shards, each on a strand of the executor it was given (an io_context's, run by N threads
  // or more) with an even share of each pool (one connection at least). The constructor that
  // takes one executor per shard sets it (1 or the number of executors). See "Threading" in
  // database.hpp.
  std::size_t threads = 1;
  bool pipelining = true;           // several calls in flight on one connection
  std::size_t pipeline_depth = 16;  // calls in flight per connection when pipelining
  // Pipelined reads sent together on one connection share one sync point, up to this many
  // (1: each call has its own). The server then answers them in one flight, and the client
  // sends them in one write. When one of them fails, the server skips the reads after it up to
  // the sync point: they are sent again and complete with their own results (the failing read
  // gets its error). Reads sharing a sync point run in one transaction: with a
  // default_transaction_isolation of repeatable read or serializable on a read server, they
  // share its snapshot too (set 1 there if that matters). Writes always have their own, and so
  // does every call in pooler mode.
  std::size_t reads_per_sync = 16;
  std::chrono::milliseconds statement_timeout{0};   // 0: the server's setting
  std::chrono::milliseconds acquire_timeout{5000};  // longest wait for a connection
  // The longest a call may take in all: waiting for a connection, retries and running on the
  // server. When it passes, a call not yet sent fails with errc::call_timeout and never reaches
  // the server; a read already sent fails at once with errc::call_timeout (its answer is
  // discarded when it arrives); a write already sent is cancelled on the server when it is the
  // statement the server runs (a cancel never reaches another call pipelined on the same
  // connection) and completes with its real outcome: success if it committed first,
  // errc::call_timeout if the server cancelled it (it did not happen), or errc::outcome_unknown
  // if the server did not answer the cancel within cancel_grace and its connection was closed.
  // 0: no deadline. statement_timeout is the gentler tool for slow statements; call_timeout is
  // the guarantee that no call waits forever (a write: at most call_timeout + cancel_grace).
  std::chrono::milliseconds call_timeout{30000};
  // How long a connection waits for the server to answer a cancel request (after a deadline or
  // a cancellation through the completion token) before it closes: a server that does not
  // answer it in time cannot be trusted with the calls behind it, and each of them fails then
  // with a message naming the call whose cancel went unanswered.
  std::chrono::milliseconds cancel_grace{5000};
  // How long one connection attempt may take, authentication included. A `connect_timeout` in
  // the server's URL wins (whole seconds, as libpq reads it; 0 or less there: no bound).
  // 0: no bound.
  std::chrono::milliseconds connect_timeout{10000};
  // How long async_start keeps trying to reach the write server (and the read server when
  // read_fallback is off) before it fails with errc::connect_failed, retrying with back-off
  // (100 ms doubling to 5 s). 0: fail at the first refused attempt.
  std::chrono::milliseconds start_retry_for{0};
  // Reads go to the write server while no read server can serve them (all down, too stale, or
  // at a database version without the method).
  bool read_fallback = true;
  // How far behind the write server a standby may be and still serve reads. pgfns measures it
  // itself (probe_interval below), as an upper bound: a standby past it serves no reads until it
  // has caught up. 0: no bound.
  std::chrono::milliseconds max_replica_lag{5000};
  // How often each server is asked for its role (pg_is_in_recovery()), WAL position and database
  // version: one small query on one of its pool's connections, never on a call's path.
  std::chrono::milliseconds probe_interval{500};
  // Read-your-writes: a read issued after a write of this database completed sees that write. It
  // goes to a standby that has replayed the write; when none has yet but one was keeping up at
  // its last probe, it waits up to read_your_writes_wait for it (probing at once), and otherwise
  // goes to the primary, whatever read_fallback says. Per call: call_options::read_your_writes;
  // across processes: database::async_read_position and call_options::after.
  bool read_your_writes = false;
  std::chrono::milliseconds read_your_writes_wait{20};
  std::string application_name;            // "" = the service name (when the URL names none)
  pooler_mode pooler = pooler_mode::none;  // for every URL above
  monitor_hooks monitor;
};

}  // namespace pgfns
