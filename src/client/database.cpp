#include <pgfns/database.hpp>

#include "client/call/call_op.hpp"
#include "client/database_core.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace pgfns {
namespace detail {

const resolved_method* find_method(const database_core& core, std::string_view name) noexcept {
  return core.schema().find_method(name);
}

const boost::asio::any_io_executor& executor_of(const database_core& core) noexcept {
  return core.executor();
}

void start_database(const std::shared_ptr<database_core>& core, start_handler handler) {
  if (!core->other_shards().empty()) return start_shards(core, std::move(handler));
  boost::asio::dispatch(core->executor(),
                        [core, h = std::move(handler)]() mutable { core->start(std::move(h)); });
}

namespace {

// True when the calling thread runs `ex` now (an io_context's executor or a strand).
bool running_in_this_thread(const boost::asio::any_io_executor& ex) noexcept {
  using context_executor = boost::asio::io_context::executor_type;
  if (const auto* e = ex.target<context_executor>()) return e->running_in_this_thread();
  if (const auto* s = ex.target<boost::asio::strand<context_executor>>())
    return s->running_in_this_thread();
  if (const auto* s = ex.target<boost::asio::strand<boost::asio::any_io_executor>>())
    return s->running_in_this_thread();
  return false;
}

}  // namespace

const std::shared_ptr<database_core>& shard_for_call(
    const std::shared_ptr<database_core>& core) noexcept {
  const auto& others = core->other_shards();
  if (others.empty() || running_in_this_thread(core->executor())) return core;
  for (const auto& other : others)
    if (running_in_this_thread(other->executor())) return other;
  const std::size_t k = core->group().next_shard();
  return k == 0 ? core : others[k - 1];
}

namespace {

// A call made on its executor starts at once, as dispatch would start it, without wrapping it
// in a type-erased function first; from another thread it is dispatched to the executor.
void start_on_executor(const std::shared_ptr<database_core>& core, std::shared_ptr<call_op> op) {
  if (running_in_this_thread(core->executor())) return op->start(std::move(op));
  boost::asio::dispatch(core->executor(), [op]() mutable { op->start(std::move(op)); });
}

}  // namespace

void start_call(const std::shared_ptr<database_core>& core, const resolved_method* method,
                std::string unknown_name, bool allow_deprecated, call_options options,
                boost::json::value args, call_handler handler, bool on_io) {
  start_on_executor(
      core, std::make_shared<call_op>(core, method, std::move(unknown_name), allow_deprecated,
                                      options, std::move(args), std::move(handler), on_io));
}

void start_typed_call(const std::shared_ptr<database_core>& core, const method_binding& binding,
                      const call_options& options, typed_codec& codec, typed_call_handler handler,
                      bool on_io) {
  start_on_executor(core, std::make_shared<call_op>(core, find_method(*core, binding.name), binding,
                                                    options, codec, std::move(handler), on_io));
}

namespace {

boost::asio::awaitable<result> call_coroutine(std::shared_ptr<database_core> core,
                                              const resolved_method* method,
                                              std::string unknown_name, bool allow_deprecated,
                                              call_options options, boost::json::value args) {
  const auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
  auto [ec, r] = co_await boost::asio::async_initiate<decltype(token), call_signature>(
      [&](auto handler) {
        const auto& shard = shard_for_call(core);
        const bool on_io = runs_on(handler, shard->executor());
        start_call(shard, method, std::move(unknown_name), allow_deprecated, options,
                   std::move(args), call_handler(std::move(handler)), on_io);
      },
      token);
  if (ec) throw error(ec, std::move(r.diag));
  co_return std::move(r);
}

}  // namespace

boost::asio::awaitable<result> call_or_throw(const std::shared_ptr<database_core>& core,
                                             std::string_view method, bool allow_deprecated,
                                             const call_options& options, boost::json::value args) {
  const resolved_method* m = find_method(*core, method);
  return call_coroutine(core, m, m ? std::string() : std::string(method), allow_deprecated, options,
                        std::move(args));
}

void start_read_position(const std::shared_ptr<database_core>& core,
                         boost::asio::any_completion_handler<read_position_signature> handler) {
  boost::asio::dispatch(core->executor(), [core, h = std::move(handler)]() mutable {
    auto shared = std::make_shared<decltype(h)>(std::move(h));
    core->read_position(
        [ex = core->executor(), shared](boost::system::error_code ec, read_position p) {
          boost::asio::post(ex, [shared, ec, p]() mutable { std::move (*shared)(ec, p); });
        });
  });
}

boost::asio::awaitable<read_position> read_position_or_throw(std::shared_ptr<database_core> core) {
  auto [ec, p] =
      co_await initiate_read_position(core, boost::asio::as_tuple(boost::asio::use_awaitable));
  if (ec) {
    diagnostics d;
    d.message = "reading the write server's position for read-your-writes: " + ec.message();
    throw error(ec, std::move(d));
  }
  co_return p;
}

boost::asio::awaitable<void> start_or_throw(std::shared_ptr<database_core> core) {
  auto [ec, diag] =
      co_await initiate_start(core, boost::asio::as_tuple(boost::asio::use_awaitable));
  if (ec) throw error(ec, std::move(diag));
}

}  // namespace detail

database::database(executor_type ex, database_options options)
    : core_(detail::database_core::create(ex, std::move(options))) {}

database::database(std::vector<executor_type> executors, database_options options)
    : core_(detail::database_core::create(std::move(executors), std::move(options))) {}

database::database(database&&) noexcept = default;

namespace {

// Closes on the database's executor (at once when already there), so that a database may be
// destroyed from any thread; the core lives until then.
void close_on_executor(std::shared_ptr<detail::database_core> core) {
  if (!core) return;
  auto ex = core->executor();
  boost::asio::dispatch(ex, [core = std::move(core)] { core->close(); });
}

}  // namespace

database& database::operator=(database&& other) noexcept {
  if (this != &other) {
    close_on_executor(std::move(core_));
    core_ = std::move(other.core_);
  }
  return *this;
}

database::~database() {
  close_on_executor(std::move(core_));
}

database::executor_type database::get_executor() const noexcept {
  return core_->group().home();
}
const database_options& database::options() const noexcept {
  return core_->options();
}
const pgfns::schema& database::schema() const noexcept {
  return core_->schema();
}
pool_stats database::stats(pool_role role) const {
  if (core_->group().size() > 1) return core_->group().stats(role);
  return core_->stats(role);
}

std::vector<server_stats> database::servers() const {
  if (core_->group().size() > 1) return core_->group().servers();
  return core_->servers();
}

void database::close() {
  if (!core_) return;
  // Each shard closes on its own strand; one core closes at once, on the caller's thread.
  if (core_->group().size() > 1) return close_on_executor(core_);
  core_->close();
}

}  // namespace pgfns
