// The periodic probe of one server: every probe_interval, one small query on one of its pool's
// connections (pipelined beside the calls, never in their way) asks its role, WAL position and
// database version, and hands the answer to the database's router. A round is skipped when the
// pool has no connection with room, or its server is down.
#pragma once

#include "client/pq/pool.hpp"
#include "client/pq/pq_job.hpp"
#include "client/routing/router.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace pgfns::detail {

class server_probe final : public pq_job,
                           public pool_waiter,
                           public std::enable_shared_from_this<server_probe> {
 public:
  // `answered` receives each answer (nullopt: the probe failed; the server keeps its last state)
  // and when the probe was sent: the server answered at or after that moment.
  using answer_handler = std::function<void(const std::optional<probe_answer>&,
                                            std::chrono::steady_clock::time_point asked_at)>;

  server_probe(boost::asio::any_io_executor ex, std::shared_ptr<pool> p,
               std::chrono::milliseconds interval, answer_handler answered);

  // One probe now, waiting for a connection if need be; `done` runs after its answer is handed
  // on (or it failed). Then a probe every interval until stop().
  void start(std::function<void()> done);
  void stop();
  // The time between probes from now on (a database probes faster while it starts): the next
  // probe comes `interval` after this call, or after the answer of the one under way.
  void set_interval(std::chrono::milliseconds interval);
  // A probe as soon as possible: now when none is under way, else right after the one that is.
  void probe_soon();

  // The probe's text, and its answer read from a result (nullopt when it does not parse).
  static const char* const sql_text;
  static std::optional<probe_answer> parse(const PGresult* r);

 private:
  void on_acquired(connection& c) override;
  void on_acquire_failed(boost::system::error_code ec) override;
  void on_job_done(connection& c) override;
  void answer(const std::optional<probe_answer>& a);
  void schedule();
  void send(connection& c);

  std::shared_ptr<pool> pool_;
  std::chrono::milliseconds interval_;
  answer_handler answered_;
  boost::asio::steady_timer timer_;
  std::function<void()> first_done_;
  std::shared_ptr<server_probe> keep_;  // while a query or a wait is under way
  bool waiting_ = false;                // in the pool's queue
  bool again_ = false;                  // probe_soon() while a probe was under way
  std::chrono::steady_clock::time_point asked_at_{};
  bool stopped_ = false;
};

}  // namespace pgfns::detail
