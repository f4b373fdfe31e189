#include "client/server_probe.hpp"

#include <charconv>
#include <cstring>

namespace pgfns::detail {

// A primary answers its flush position (what a standby can have received), a standby its replay
// position. pg_current_wal_flush_lsn() fails on a standby and pg_last_wal_replay_lsn() is null on
// a primary: each is asked only where it answers.
const char* const server_probe::sql_text =
    "select pg_is_in_recovery(), case when pg_is_in_recovery() then pg_last_wal_replay_lsn() "
    "else pg_current_wal_flush_lsn() end, (select max(version) from tcversion)";

server_probe::server_probe(boost::asio::any_io_executor ex, std::shared_ptr<pool> p,
                           std::chrono::milliseconds interval, answer_handler answered)
    : pool_(std::move(p)), interval_(interval), answered_(std::move(answered)), timer_(ex) {
  sql = sql_text;
}

std::optional<probe_answer> server_probe::parse(const PGresult* r) {
  if (!r || PQntuples(r) != 1 || PQnfields(r) != 3) return std::nullopt;
  probe_answer a;
  if (PQgetisnull(r, 0, 0)) return std::nullopt;
  a.role = *PQgetvalue(r, 0, 0) == 't' ? server_role::standby : server_role::primary;
  if (!PQgetisnull(r, 0, 1)) a.position = parse_lsn(PQgetvalue(r, 0, 1));
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
  c.submit(*this);
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
  if (!stopped_) answered_(a);
  if (first_done_) {
    auto done = std::move(first_done_);
    first_done_ = nullptr;
    done();
  }
  schedule();
}

void server_probe::schedule() {
  if (stopped_) return;
  timer_.expires_after(interval_);
  timer_.async_wait([w = weak_from_this()](boost::system::error_code e) {
    auto self = w.lock();
    if (e || !self || self->stopped_) return;
    connection* c = self->pool_->down() ? nullptr : self->pool_->try_acquire();
    if (!c) return self->schedule();  // no room or no server: the next round will tell
    self->keep_ = self;
    self->on_acquired(*c);
  });
}

}  // namespace pgfns::detail
