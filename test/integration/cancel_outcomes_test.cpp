// Issue 11, "Done when" 1: a cancelled call's outcome is true, and a cancel never reaches
// another call. Public API only (pgfns/database.hpp); the server is watched through libpq.
//
// The scenario, on the example schema db/ (service catalog), a write pool of 1 connection:
// another session holds a row lock on product 1; call A = set_stock(1, 11) blocks on it; call
// B, either a write set_stock(2, 22) or a read get_product(2), is issued right behind A and
// cancelled (bind_cancellation_slot, cancellation_type::terminal) ~200 ms later; then the lock
// is released. With pipelining on, B is sent on A's connection behind A; with it off, B waits
// for the pool's only connection. The read shares A's connection because the read server is
// unreachable and read_fallback (the default) sends reads to the write pool, as a service's
// reads go while its standby is down.
//
// What each run checks, against the database afterwards:
//  - B read, or B still waiting for the pool: operation_aborted, at once (while A still waits
//    for the lock), and a waiting write never commits;
//  - B write that was sent: never operation_aborted; success means it committed (stock 22), a
//    server error (57014 when the cancel stopped it) means it did not (stock unchanged);
//    outcome_unknown only when its connection was really dropped (its backend is gone);
//  - A, never cancelled: success with stock 11, unless its connection was really dropped
//    (then outcome_unknown, with no other code allowed);
//  - no message mentions a deadline (call_timeout is 60 s and never passes), and each call
//    completes exactly once.
// Nothing depends on timing: B's position (sent behind A, or waiting) is checked through the
// pool's counts before the cancel, and A's block on the lock through pg_stat_activity.
#include <pgfns/database.hpp>
#include <pgfns/schema.hpp>
#include <pgfns/upgrade.hpp>

#include "core_db.hpp"
#include "upgrade_test.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::as_tuple;
using pgfns::test::sleep_for;
using pgfns::test::wait_until;
using namespace std::chrono_literals;

namespace {

constexpr int runs = 50;
constexpr int stock_1 = 100;  // the stocks before each run
constexpr int stock_2 = 200;

// A plain libpq session of the superuser, kept open: the lock holder, and the observer that
// reads pg_stat_activity and the stocks (each statement its own transaction, so each read of
// pg_stat_activity sees the present).
class session {
 public:
  explicit session(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string why = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("cannot connect: " + why);
    }
  }
  ~session() { PQfinish(conn_); }
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  // Runs `sql` (one or more statements); returns the first column of the last one's rows.
  std::vector<std::string> column(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const std::string why = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error(sql + ": " + why);
    }
    std::vector<std::string> values;
    for (int i = 0; i < PQntuples(r); ++i) values.emplace_back(PQgetvalue(r, i, 0));
    PQclear(r);
    return values;
  }
  int number(const std::string& sql) {
    const auto values = column(sql);
    if (values.size() != 1) throw std::runtime_error(sql + ": not one row");
    return std::stoi(values[0]);
  }

 private:
  PGconn* conn_;
};

// How one call ended; shared with its handler, which may outlive the run that made it.
struct outcome {
  int completions = 0;
  boost::system::error_code ec;
  pgfns::result r;

  bool done() const { return completions > 0; }
  std::string text() const { return pgfns::format_error(ec, r.diag); }
};

auto record(std::shared_ptr<outcome> o) {
  return [o](boost::system::error_code ec, pgfns::result r) {
    ++o->completions;
    o->ec = ec;
    o->r = std::move(r);
  };
}

bool mentions_deadline(const outcome& o) {
  return o.text().find("deadline") != std::string::npos;
}

struct tally {
  int b_success = 0, b_57014 = 0, b_other_sqlstate = 0, b_aborted = 0, b_unknown = 0;
  int b_other = 0, a_success = 0, a_dropped = 0, a_other = 0;
  int before_cancel = 0;   // runs where A or B ended before the cancel, the lock still held
  int between_failed = 0;  // uncancelled calls between the runs that failed
  std::vector<std::shared_ptr<outcome>> outcomes;  // every A and B, to count completions last

  std::string line(const std::string& label) const {
    std::ostringstream s;
    s << label << ": " << runs << " runs: B succeeded " << b_success << ", 57014 " << b_57014
      << ", other SQLSTATE " << b_other_sqlstate << ", operation_aborted " << b_aborted
      << ", outcome_unknown " << b_unknown << ", other " << b_other << "; A succeeded " << a_success
      << ", lost its connection " << a_dropped << ", other " << a_other
      << "; A or B ended before the cancel in " << before_cancel
      << " runs; uncancelled calls between runs failed: " << between_failed;
    return s.str();
  }
};

struct outcomes_fixture {
  pgfns::test::service_roles roles{"cancelout"};
  pgfns::test::scratch_database db{"cancelout"};
  std::shared_ptr<const pgfns::schema> schema = std::make_shared<const pgfns::schema>(
      pgfns::schema::from_db_directory(pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "db"));

  outcomes_fixture() {
    pgfns::upgrade(*schema, pgfns::test::options_for(db, roles.prefix()));
    db.exec(
        "insert into products (product_id, sku, name, description, price, stock) "
        "overriding system value values (1, 'p1', 'one', '', 1, 1), (2, 'p2', 'two', '', 1, 2)");
  }

  std::string catalog_user() const { return roles.prefix() + "_catalog"; }

  pgfns::database_options options(bool pipelining, bool read_b) const {
    pgfns::database_options o;
    o.schema = schema;
    o.service = "catalog";
    o.write_url = db.write_url() + "?user=" + catalog_user();
    // For a read B: a read server that cannot be reached (no such socket directory), so that
    // reads fall back to the write pool and share A's connection.
    o.read_url = read_b ? "postgresql:///" + db.name() + "?host=/nonexistent/pgfns-cancel-outcomes"
                        : db.read_url() + "?user=" + catalog_user();
    o.write_pool_size = 1;
    o.read_pool_size = 1;
    o.pipelining = pipelining;
    o.call_timeout = 60s;  // never passes: no message may speak of a deadline
    o.acquire_timeout = 60s;
    return o;
  }

  void run_case(bool pipelining, bool read_b);
};

// One run of the scenario; adds to `t`. Throws when a call does not complete within 60 s.
awaitable<void> one_run(pgfns::database& d, session& holder, session& observer, bool pipelining,
                        bool read_b, int run, tally& t) {
  const std::string at = "run " + std::to_string(run) + ": ";
  // Quiet: no statement of an earlier run still active on the server (a dropped
  // connection's backend may still be finishing).
  const bool quiet = co_await wait_until(
      [&] {
        return observer.number(
                   "select count(*) from pg_stat_activity where datname = current_database() "
                   "and backend_type = 'client backend' and pid <> pg_backend_pid() "
                   "and state <> 'idle'") == 0;
      },
      30s);
  BOOST_TEST_REQUIRE(quiet, at << "statements of an earlier run still active after 30 s");
  // Uncancelled calls between runs: they prepare both statements on the connection (a new
  // one, if the last run dropped it), so that A and B are sent as they are, and show which pool
  // serves the read. They must succeed: a cancel request of the last run reaching the server
  // late would hit them.
  auto [warm_write_ec, warm_write] = co_await d.call("set_stock", 2, stock_2, as_tuple);
  auto [warm_read_ec, warm_read] = co_await d.call("get_product", 2, as_tuple);
  for (const auto* e : {&warm_write_ec, &warm_read_ec}) {
    if (*e) ++t.between_failed;
  }
  BOOST_TEST(!warm_write_ec, at << "set_stock(2, " << stock_2 << "), uncancelled, before the run: "
                                << pgfns::format_error(warm_write_ec, warm_write.diag));
  BOOST_TEST(!warm_read_ec, at << "get_product(2), uncancelled, before the run: "
                               << pgfns::format_error(warm_read_ec, warm_read.diag));
  if (read_b && !warm_read_ec)
    BOOST_TEST_REQUIRE(warm_read.diag.pool == "write",
                       at << "get_product was served by the " << warm_read.diag.pool
                          << " pool: B would not share A's connection");
  observer.column("update products set stock = " + std::to_string(stock_1) +
                  " where product_id = 1; update products set stock = " + std::to_string(stock_2) +
                  " where product_id = 2");
  holder.column("begin; select 1 from products where product_id = 1 for update");

  auto a = std::make_shared<outcome>();
  auto b = std::make_shared<outcome>();
  t.outcomes.push_back(a);
  t.outcomes.push_back(b);
  boost::asio::cancellation_signal signal;
  d.call("set_stock", 1, 11, record(a));
  if (read_b)
    d.call("get_product", 2, boost::asio::bind_cancellation_slot(signal.slot(), record(b)));
  else
    d.call("set_stock", 2, 22, boost::asio::bind_cancellation_slot(signal.slot(), record(b)));

  // Before the cancel: A blocks on the lock (its backend is the one waiting for it) and B is
  // where it should be, sent behind A on the only connection or waiting for it. While the lock
  // is held neither can complete, unless something stops A on the server.
  std::string a_pid;
  bool placed = false;
  co_await wait_until(
      [&] {
        const auto waiting = observer.column(
            "select pid from pg_stat_activity where datname = current_database() "
            "and backend_type = 'client backend' and wait_event_type = 'Lock'");
        if (waiting.size() == 1) a_pid = waiting[0];
        const auto s = d.stats(pgfns::pool_role::write);
        placed = !a_pid.empty() && (pipelining ? s.total == 1 && s.in_flight >= 2
                                               : s.in_flight == 1 && s.waiting == 1);
        return placed || a->done() || b->done();
      },
      30s);
  if (a->done() || b->done()) {
    ++t.before_cancel;
    BOOST_TEST(false, at << "before B was cancelled, with the lock held (neither call can end "
                         << "unless A is stopped on the server; B cannot overtake A unless A is "
                         << "sent again): A " << (a->done() ? a->text() : "pending") << ", B "
                         << (b->done() ? b->text() : "pending"));
  } else {
    // Not the scenario at all: no point in running it again.
    const auto s = d.stats(pgfns::pool_role::write);
    BOOST_TEST_REQUIRE(
        placed, at << "A blocked on the lock and B " << (pipelining ? "sent behind it" : "waiting")
                   << " not seen in 30 s (write pool: " << s.total << " connections, "
                   << s.in_flight << " in flight, " << s.waiting << " waiting)");
  }
  co_await sleep_for(200ms);
  signal.emit(boost::asio::cancellation_type::terminal);

  // A cancelled read, or a call that never reached the server, completes at once: while A
  // still waits for the lock. A sent write cannot complete before A (it is behind A).
  const bool at_once = read_b || !pipelining;
  if (at_once) {
    const bool b_first = co_await wait_until([&] { return b->done() || a->done(); }, 5s);
    BOOST_TEST((b_first && b->done()),
               at << "B, cancelled, did not complete while A waited for the lock (A "
                  << (a->done() ? a->text() : "pending") << ")");
  } else {
    co_await sleep_for(150ms);
  }
  holder.column("rollback");
  const bool finished = co_await wait_until([&] { return a->done() && b->done(); }, 60s);
  if (!finished) throw std::runtime_error(at + "A or B did not complete within 60 s");
  const auto stocks = observer.column(
      "select stock from products where product_id in (1, 2) "
      "order by product_id");
  BOOST_TEST_REQUIRE(stocks.size() == 2u);
  const int s1 = std::stoi(stocks[0]), s2 = std::stoi(stocks[1]);

  // Whether A's (and B's) connection was dropped: its backend, seen waiting for the lock, is
  // gone within 10 s.
  auto connection_dropped = [&]() -> awaitable<bool> {
    if (a_pid.empty()) co_return false;
    co_return co_await wait_until(
        [&] {
          return observer.number("select count(*) from pg_stat_activity where pid = " + a_pid) == 0;
        },
        10s);
  };

  bool a_dropped = false;
  BOOST_TEST(!mentions_deadline(*a), at << "A, no deadline passed: " << a->text());
  BOOST_TEST(!mentions_deadline(*b), at << "B, no deadline passed: " << b->text());

  // A: success and stock 11, unless its connection was dropped.
  if (!a->ec) {
    ++t.a_success;
    BOOST_TEST(s1 == 11, at << "A succeeded, yet the stock of product 1 is " << s1);
    BOOST_TEST((a->r.size() == 1u && a->r[0].at("stock").as_int64() == 11), at << "A's row");
  } else if (a->ec == pgfns::errc::outcome_unknown && (a_dropped = co_await connection_dropped())) {
    ++t.a_dropped;
    BOOST_TEST((s1 == 11 || s1 == stock_1), at << "stock of product 1: " << s1);
  } else {
    ++t.a_other;
    BOOST_TEST(false, at << "A, never cancelled, failed, and its connection was not dropped "
                         << "(its backend did not go away): " << a->text());
  }

  // B.
  const std::string state = pgfns::sqlstate_of(b->ec);
  if (b->ec == boost::asio::error::operation_aborted) {
    ++t.b_aborted;
    BOOST_TEST(at_once, at << "B, a write sent to the server, completed with operation_aborted "
                           << "(stock of product 2 afterwards: " << s2
                           << (s2 == 22 ? ": it committed" : "") << "): " << b->text());
    BOOST_TEST(s2 == stock_2, at << "B completed with operation_aborted, yet stock 2 is " << s2);
  } else if (at_once) {
    if (!b->ec)
      ++t.b_success;
    else if (state == "57014")
      ++t.b_57014;
    else
      ++t.b_other;
    BOOST_TEST(false, at << "B, " << (read_b ? "a cancelled read" : "cancelled while waiting")
                         << ", completed with " << b->text() << ", not operation_aborted"
                         << " (stock of product 2 afterwards: " << s2 << ")");
  } else if (!b->ec) {
    ++t.b_success;
    BOOST_TEST(s2 == 22, at << "B succeeded, yet the stock of product 2 is " << s2);
    BOOST_TEST((b->r.size() == 1u && b->r[0].at("stock").as_int64() == 22), at << "B's row");
  } else if (!state.empty()) {
    ++(state == "57014" ? t.b_57014 : t.b_other_sqlstate);
    BOOST_TEST(b->r.diag.sqlstate == state);
    BOOST_TEST(s2 == stock_2,
               at << "B failed with " << b->text() << ", yet the stock of product 2 is " << s2);
  } else if (b->ec == pgfns::errc::outcome_unknown) {
    ++t.b_unknown;
    const bool dropped = a_dropped || co_await connection_dropped();
    BOOST_TEST(dropped,
               at << "B: outcome_unknown, yet its connection was not dropped: " << b->text());
    BOOST_TEST((s2 == 22 || s2 == stock_2), at << "stock of product 2: " << s2);
  } else {
    ++t.b_other;
    BOOST_TEST(false, at << "B, a cancelled write, completed with " << b->text());
  }
}

void outcomes_fixture::run_case(bool pipelining, bool read_b) {
  session holder(db.write_url());
  session observer(db.write_url());
  tally t;
  pgfns::test::run_coroutine(
      [&](boost::asio::io_context& ioc) -> awaitable<void> {
        pgfns::database d(ioc.get_executor(), options(pipelining, read_b));
        co_await d.async_start();
        for (int run = 1; run <= runs; ++run)
          co_await one_run(d, holder, observer, pipelining, read_b, run, t);
        // Exactly one completion per call, however late a second one would have come.
        for (std::size_t i = 0; i < t.outcomes.size(); ++i)
          BOOST_TEST(t.outcomes[i]->completions == 1,
                     "run " << i / 2 + 1 << ": " << (i % 2 ? "B" : "A") << " completed "
                            << t.outcomes[i]->completions << " times");
      },
      600s);
  BOOST_TEST_MESSAGE(t.line(std::string(read_b ? "cancelled read" : "cancelled write") +
                            (pipelining ? ", pipelining on" : ", pipelining off")));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(cancel_outcomes, outcomes_fixture)

BOOST_AUTO_TEST_CASE(a_cancelled_write_sent_behind_a_blocked_write) {
  run_case(true, false);
}

BOOST_AUTO_TEST_CASE(a_cancelled_write_waiting_for_the_connection) {
  run_case(false, false);
}

BOOST_AUTO_TEST_CASE(a_cancelled_read_sent_behind_a_blocked_write) {
  run_case(true, true);
}

BOOST_AUTO_TEST_CASE(a_cancelled_read_waiting_for_the_connection) {
  run_case(false, true);
}

BOOST_AUTO_TEST_SUITE_END()
