#include "core_db.hpp"

#include <pgfns/upgrade.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <atomic>
#include <cstdlib>
#include <future>
#include <latch>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace pgfns::test {

std::shared_ptr<const pgfns::schema> core_schema() {
  static const auto s = [] {
    const char* src = std::getenv("PGFNS_SOURCE_DIR");
    if (!src) throw std::runtime_error("PGFNS_SOURCE_DIR is not set");
    return std::make_shared<const pgfns::schema>(pgfns::schema::from_db_directory(
        std::filesystem::path(src) / "test" / "fixtures" / "core-db"));
  }();
  return s;
}

void install_core_schema(const std::string& admin_url, const std::string& prefix, int version) {
  pgfns::upgrade_options o;
  o.admin_url = admin_url;
  o.prefix = prefix;
  o.create_users = true;
  o.skip_checks = true;  // the test schema grants nothing: the tests connect as the superuser
  if (version > 0) o.target = version;
  pgfns::upgrade(*core_schema(), o);
}

core_database::core_database(std::string_view label, int version) : roles_("core"), db_(label) {
  install_core_schema(db_.write_url(), roles_.prefix(), version);
  db_.wait_for_standby();
}

pgfns::database_options core_database::options(std::string service) const {
  pgfns::database_options o;
  o.schema = core_schema();
  o.service = std::move(service);
  o.write_url = db_.write_url();
  o.read_url = db_.read_url();
  o.write_pool_size = 4;
  o.read_pool_size = 4;
  return o;
}

boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
  co_await t.async_wait(boost::asio::deferred);
}

boost::asio::awaitable<bool> wait_until(std::function<bool()> ready,
                                        std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!ready()) {
    if (std::chrono::steady_clock::now() >= deadline) co_return false;
    co_await sleep_for(std::chrono::milliseconds(5));
  }
  co_return true;
}

boost::asio::awaitable<void> meanwhile(std::function<void()> action) {
  std::atomic<bool> done{false};
  std::exception_ptr failure;
  std::thread t([&] {
    try {
      action();
    } catch (...) {
      failure = std::current_exception();
    }
    done = true;
  });
  while (!done) co_await sleep_for(std::chrono::milliseconds(10));
  t.join();
  if (failure) std::rethrow_exception(failure);
}

void run_coroutine(std::function<boost::asio::awaitable<void>(boost::asio::io_context&)> make,
                   std::chrono::seconds limit) {
  boost::asio::io_context ioc;
  std::exception_ptr failure;
  bool done = false;
  boost::asio::co_spawn(ioc, make(ioc), [&](std::exception_ptr e) {
    failure = e;
    done = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    ioc.run_for(std::chrono::milliseconds(100));
    if (ioc.stopped() && !done) ioc.restart();
  }
  if (!done) throw std::runtime_error("the test coroutine did not finish in time");
  if (failure) std::rethrow_exception(failure);
}

void run_on_threads(
    std::size_t count, int per_context,
    const std::function<boost::asio::awaitable<void>(context_list&, thread_ids&)>& make,
    std::chrono::seconds limit) {
  std::vector<std::unique_ptr<boost::asio::io_context>> owned;
  context_list contexts;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guards;
  for (std::size_t i = 0; i < count; ++i) {
    owned.push_back(std::make_unique<boost::asio::io_context>(per_context));
    contexts.push_back(owned.back().get());
    guards.push_back(boost::asio::make_work_guard(*owned.back()));
  }
  const auto n = count * static_cast<std::size_t>(per_context);
  thread_ids ids(n);
  std::latch started(static_cast<std::ptrdiff_t>(n));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      ids[i] = std::this_thread::get_id();
      started.count_down();
      contexts[i / static_cast<std::size_t>(per_context)]->run();
    });
  }
  started.wait();
  std::promise<void> done;
  auto finished = done.get_future();
  boost::asio::co_spawn(*contexts.front(), make(contexts, ids), [&](std::exception_ptr e) {
    if (e)
      done.set_exception(e);
    else
      done.set_value();
  });
  const bool in_time = finished.wait_for(limit) == std::future_status::ready;
  guards.clear();
  if (!in_time)
    for (auto* c : contexts) c->stop();
  for (auto& t : threads) t.join();
  if (!in_time) throw std::runtime_error("the test coroutine did not finish in time");
  finished.get();
}

void run_with_database(pgfns::database_options options,
                       std::function<boost::asio::awaitable<void>(pgfns::database&)> body,
                       std::chrono::seconds limit) {
  run_coroutine(
      [&](boost::asio::io_context& ioc) -> boost::asio::awaitable<void> {
        pgfns::database d(ioc.get_executor(), options);
        co_await d.async_start();
        co_await body(d);
      },
      limit);
}

}  // namespace pgfns::test
