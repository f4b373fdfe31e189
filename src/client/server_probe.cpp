#include "client/server_probe.hpp"

#include <charconv>
#include <cstring>
#include <utility>

namespace pgfns::detail {

// A primary answers its flush position (what a standby can have received: the measure of lag)
// and its insert position (past every commit record written before it is read, even with
// synchronous_commit off: the measure of read-your-writes); a standby its replay position.
// pg_current_wal_*_lsn() fail on a standby and pg_last_wal_replay_lsn() is null on a primary:
// each is asked only where it answers.
const char* const server_probe::sql_text =
    "select pg_is_in_recovery(), case when pg_is_in_recovery() then pg_last_wal_replay_lsn() "
    "else pg_current_wal_flush_lsn() end, (select max(version) from tcversion), "
    "case when not pg_is_in_recovery() then pg_current_wal_insert_lsn() end";

server_probe::server_probe(boost::asio::any_io_executor ex, std::shared_ptr<pool> p,
                           std::chrono::milliseconds interval, answer_handler answered)
    : pool_(std::move(p)), interval_(interval), answered_(std::move(answered)), timer_(ex) {
  sql = sql_text;
}

std::optional<probe_answer> server_probe::parse(const PGresult* r) {
  if (!r || PQntuples(r) != 1 || PQnfields(r) != 4) return std::nullopt;
  probe_answer a;
  if (PQgetisnull(r, 0, 0)) return std::nullopt;
  a.role = *PQgetvalue(r, 0, 0) == 't' ? server_role::standby : server_role::primary;
  if (!PQgetisnull(r, 0, 1)) a.position = parse_lsn(PQgetvalue(r, 0, 1));
  // An insert position at the very start of a WAL page points past the page's header, where a
  // standby's replay position (the end of the last record) stays at the page boundary until
  // the next record: the boundary is what a standby must reach. (A segment's first page has a
  // longer header, 40 bytes; that rarer case only sends reads under read-your-writes to the
  // primary until it writes again.)
  constexpr std::uint64_t wal_page = 8192, page_header = 24;
  if (!PQgetisnull(r, 0, 3)) a.inserted = parse_lsn(PQgetvalue(r, 0, 3));
  if (a.inserted && a.inserted->value % wal_page == page_header) a.inserted->value -= page_header;
  a.version = 0;  // an empty tcversion: never upgraded
  if (!PQgetisnull(r, 0, 2)) {
    const char* v = PQgetvalue(r, 0, 2);
    if (std::from_chars(v, v + std::strlen(v), a.version).ec != std::errc{}) return std::nullopt;
  }
  return a;
}

void server_probe::start(std::function<void()> done) {
  first_done_ = std::move(done);
  keep_ = shared_from_this();
  if (pool_->down()) return answer(std::nullopt);  // the next rounds will find it back
  if (connection* c = pool_->try_acquire()) return on_acquired(*c);
  waiting_ = true;
  pool_->wait(*this);
}

void server_probe::stop() {
  stopped_ = true;
  timer_.cancel();
  if (!waiting_) return;  // a query in flight ends when the pool closes its connection
  pool_->cancel_wait(*this);
  answer(std::nullopt);
}

void server_probe::on_acquired(connection& c) {
  waiting_ = false;
  send(c);
}

void server_probe::send(connection& c) {
  keep_ = shared_from_this();
  asked_at_ = std::chrono::steady_clock::now();
  c.submit(*this);
}

void server_probe::set_interval(std::chrono::milliseconds interval) {
  interval_ = interval;
  if (stopped_ || keep_) return;  // the answer of the probe under way schedules the next
  timer_.cancel();
  schedule();
}

void server_probe::probe_soon() {
  if (stopped_) return;
  if (keep_) {  // a probe is under way (or waiting for a connection)
    again_ = true;
    return;
  }
  timer_.cancel();  // its handler sees operation_aborted and does nothing
  connection* c = pool_->down() ? nullptr : pool_->try_acquire();
  if (!c) return schedule();
  send(*c);
}

void server_probe::on_acquire_failed(boost::system::error_code) {
  waiting_ = false;
  answer(std::nullopt);
}

void server_probe::on_job_done(connection&) {
  answer(ec || error ? std::nullopt : parse(result.get()));
}

void server_probe::answer(const std::optional<probe_answer>& a) {
  auto keep = std::move(keep_);  // this lives until the end of this function
  if (!stopped_) answered_(a, asked_at_);
  if (first_done_) {
    auto done = std::move(first_done_);
    first_done_ = nullptr;
    done();
  }
  schedule();
}

void server_probe::schedule() {
  if (stopped_ || keep_) return;  // a probe under way schedules the next when it is answered
  if (std::exchange(again_, false)) return probe_soon();
  timer_.expires_after(interval_);
  timer_.async_wait([w = weak_from_this()](boost::system::error_code e) {
    auto self = w.lock();
    if (e || !self || self->stopped_ || self->keep_) return;
    connection* c = self->pool_->down() ? nullptr : self->pool_->try_acquire();
    if (!c) return self->schedule();  // no room or no server: the next round will tell
    self->send(*c);
  });
}

}  // namespace pgfns::detail
