#include "client/database_core.hpp"

#include "client/complete_later.hpp"
#include "client/pq/conninfo.hpp"

#include <pgfns/error.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <stdexcept>

namespace pgfns::detail {

namespace {

// A strand of `ex`; of the io_context's own executor type when it is one, so that a call can
// tell cheaply whether it runs there (database.cpp).
boost::asio::any_io_executor strand_of(const boost::asio::any_io_executor& ex) {
  if (const auto* io = ex.target<boost::asio::io_context::executor_type>())
    return boost::asio::make_strand(*io);
  return boost::asio::make_strand(ex);
}

}  // namespace

std::shared_ptr<database_core> database_core::create(boost::asio::any_io_executor ex,
                                                     database_options options) {
  const std::size_t n = options.threads;
  if (n == 0)
    throw std::invalid_argument(
        "pgfns::database: options.threads is 0 (1 or more: the threads "
        "that may drive the database's connections at once)");
  if (n == 1) return create(std::vector<boost::asio::any_io_executor>{ex}, std::move(options));
  std::vector<boost::asio::any_io_executor> strands;
  for (std::size_t k = 0; k < n; ++k) strands.push_back(strand_of(ex));
  return create(std::move(strands), std::move(options), std::move(ex));
}

std::shared_ptr<database_core> database_core::create(
    std::vector<boost::asio::any_io_executor> executors, database_options options) {
  if (executors.empty())
    throw std::invalid_argument("pgfns::database: no executor given (one per shard)");
  auto home = executors.front();
  return create(std::move(executors), std::move(options), std::move(home));
}

std::shared_ptr<database_core> database_core::create(
    std::vector<boost::asio::any_io_executor> executors, database_options options,
    boost::asio::any_io_executor home) {
  const std::size_t n = executors.size();
  if (options.threads != 1 && options.threads != n)
    throw std::invalid_argument("pgfns::database: options.threads is " +
                                std::to_string(options.threads) + " but " + std::to_string(n) +
                                " executors were given (one shard per executor: leave threads "
                                "at 1 or make it " +
                                std::to_string(n) + ")");
  options.threads = n;
  auto group = std::make_shared<shard_group>(std::move(home), n);
  auto first = std::make_shared<database_core>(executors.front(), options, group, 0);
  for (std::size_t k = 1; k < n; ++k)
    first->others_.push_back(std::make_shared<database_core>(executors[k], options, group, k));
  return first;
}

database_core::database_core(boost::asio::any_io_executor ex, database_options options,
                             std::shared_ptr<shard_group> group, std::size_t shard)
    : ex_(ex),
      options_(std::move(options)),
      worker_(std::make_shared<blocking_worker>()),
      deadlines_(ex, options_.call_timeout),
      settle_timer_(ex),
      route_timer_(ex),
      stats_timer_(ex),
      group_(std::move(group)),
      shard_(shard),
      snapshot_timer_(ex) {
  if (!options_.schema) throw std::invalid_argument("pgfns::database: options.schema is not set");
  if (options_.write_url.empty())
    throw std::invalid_argument("pgfns::database: options.write_url is not set");
  // Every loaded schema's args parse (a schema error otherwise), so this does not throw.
  signatures_.reserve(schema().methods().size());
  for (const resolved_method& m : schema().methods()) {
    try {
      signatures_.push_back(parse_signature(m.definition.args));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("pgfns::database: method " + m.definition.name +
                                  ": args: " + e.what());
    }
  }
  if (!options_.read_url.empty()) options_.read_urls.push_back(options_.read_url);
  // The write server given as a read server: its reads are the write server's own.
  std::erase(options_.read_urls, options_.write_url);
  reads_on_primary_ = options_.read_urls.empty();
  if (reads_on_primary_) options_.read_urls.push_back(options_.write_url);
  if (options_.application_name.empty())
    options_.application_name = options_.service.empty() ? "pgfns" : options_.service;
  make_pools();  // parses both URLs now, so that a bad one is reported by the constructor
  if (group_->size() > 1) publish_snapshot();
}

database_core::~database_core() {
  close();
}

void database_core::make_pools() {
  session_settings settings;
  settings.application_name = options_.application_name;
  settings.statement_timeout = options_.statement_timeout;
  settings.pooler = options_.pooler == pooler_mode::transaction;
  pool_options po;
  po.depth = options_.pipelining ? options_.pipeline_depth : 1;
  po.acquire_timeout = options_.acquire_timeout;
  po.connect_timeout = options_.connect_timeout;
  po.cancel_grace = options_.cancel_grace;
  po.reads_per_sync = options_.pipelining ? options_.reads_per_sync : 1;

  po.role = pool_role::write;
  po.max_size = shard_pool_size(options_.write_pool_size, group_->size(), shard_);
  // Writes fail at once (server_unavailable) while the write server refuses connections (it is
  // stopped or gone), rather than wait for it: reads go on through the standbys meanwhile.
  po.release_waiters_when_refused = true;
  auto write_info = std::make_shared<const conninfo>(options_.write_url, settings);
  write_ = std::make_shared<pool>(ex_, write_info, worker_, po);

  settings.read_only = true;
  po.role = pool_role::read;
  po.max_size = shard_pool_size(options_.read_pool_size, group_->size(), shard_);
  po.release_waiters_when_down = options_.read_fallback;
  po.release_waiters_when_refused = false;  // without fallback, reads wait for their server
  reads_.clear();
  for (const std::string& url : options_.read_urls) {
    auto read_info = std::make_shared<const conninfo>(url, settings);
    reads_.push_back(std::make_shared<pool>(ex_, read_info, worker_, po));
  }
  routing_options ro;
  ro.max_replica_lag = options_.max_replica_lag;
  ro.probe_interval = options_.probe_interval;
  ro.read_fallback = options_.read_fallback;
  router_.emplace(reads_on_primary_ ? 0 : reads_.size(), ro);
}

void database_core::close() {
  if (state_ == state::closed) return;
  const bool was_starting = state_ == state::starting;
  state_ = state::closed;
  for (auto& other : others_) boost::asio::dispatch(other->executor(), [other] { other->close(); });
  stats_timer_.cancel();
  snapshot_timer_.cancel();
  deadlines_.clear();
  stop_probes();
  settle_timer_.cancel();
  on_standbys_settled_ = nullptr;
  write_->close();
  for (auto& p : reads_) p->close();
  release_route_waiters(true);  // they find their pools closed
  answer_position_waiters();
  if (was_starting && on_start_) {
    diagnostics d;
    d.message = "the database was closed while starting";
    finish_start(errc::shut_down, std::move(d));
  }
  if (group_->size() > 1) publish_snapshot();
}

pool_stats database_core::stats(pool_role role) const noexcept {
  if (role == pool_role::write) return write_->stats();
  pool_stats sum;  // over the read servers: available while any is
  sum.available = false;
  for (const auto& p : reads_) add_counts(sum, p->stats());
  return sum;
}

bool database_core::begin_describe(const statement& s, call_op& op) {
  auto [it, first] = describe_waiters_.try_emplace(s.id);
  if (!first) it->second.push_back(&op);
  return first;
}

std::vector<call_op*> database_core::end_describe(const statement& s) {
  std::vector<call_op*> waiters;
  if (auto it = describe_waiters_.find(s.id); it != describe_waiters_.end()) {
    waiters = std::move(it->second);
    describe_waiters_.erase(it);
  }
  return waiters;
}

void database_core::cancel_describe_wait(const statement& s, call_op& op) noexcept {
  if (auto it = describe_waiters_.find(s.id); it != describe_waiters_.end())
    std::erase(it->second, &op);
}

void database_core::report(const call_event& e) const {
  if (options_.monitor.on_call) options_.monitor.on_call(e);
}

void database_core::report(const route_event& e) const {
  if (options_.monitor.on_route) options_.monitor.on_route(e);
}

void database_core::finish_start(boost::system::error_code ec, diagnostics diag) {
  if (!on_start_) return;
  if (ec && state_ == state::starting) state_ = state::created;  // may be started again
  if (!ec) {
    state_ = state::running;
    for (auto& p : probes_) p->set_interval(options_.probe_interval);
    schedule_stats();
  }
  if (group_->size() > 1) {
    publish_snapshot();
    schedule_snapshot();
  }
  start_handler h(std::move(*on_start_));
  on_start_.reset();
  complete_later(ex_, std::move(h), ec, std::move(diag));
}

void database_core::schedule_stats() {
  const auto& m = options_.monitor;
  if (!m.on_pool_stats || m.stats_interval.count() <= 0 || state_ != state::running) return;
  if (shard_ != 0) return;  // the first shard reports for all
  stats_timer_.expires_after(m.stats_interval);
  stats_timer_.async_wait([w = weak_from_this()](boost::system::error_code ec) {
    auto self = w.lock();
    if (ec || !self || self->state_ != state::running) return;
    const bool sharded = self->group_->size() > 1;
    if (sharded) self->publish_snapshot();
    for (const pool_role role : {pool_role::write, pool_role::read})
      self->options_.monitor.on_pool_stats(role,
                                           sharded ? self->group_->stats(role) : self->stats(role));
    self->schedule_stats();
  });
}

void database_core::publish_snapshot() {
  group_->publish(shard_, {stats(pool_role::write), stats(pool_role::read), servers()});
}

void database_core::schedule_snapshot() {
  if (state_ != state::running) return;
  snapshot_timer_.expires_after(shard_snapshot_interval);
  snapshot_timer_.async_wait([w = weak_from_this()](boost::system::error_code ec) {
    auto self = w.lock();
    if (ec || !self || self->state_ != state::running) return;
    self->publish_snapshot();
    self->schedule_snapshot();
  });
}

}  // namespace pgfns::detail
