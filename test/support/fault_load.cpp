#include "fault_load.hpp"

#include "core_db.hpp"
#include "pg_test.hpp"

#include <pgfns/database.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace pgfns::test {
namespace {

using boost::asio::awaitable;
using std::chrono::steady_clock;

std::string code_name(const boost::system::error_code& ec) {
  if (ec.category() == pgfns::error_category())
    return std::string(pgfns::errc_name(static_cast<pgfns::errc>(ec.value())));
  if (auto s = pgfns::sqlstate_of(ec); !s.empty()) return s;
  return ec.category().name() + (':' + std::to_string(ec.value()));
}

long long ms(steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// Shared by the coroutines, which may run on several threads (load_options::threads).
struct load_state {
  load_state(pgfns::database& d, const load_options& o, std::int64_t first)
      : db(d), options(o), first_id(first) {}

  pgfns::database& db;
  const load_options& options;
  std::int64_t first_id;
  std::mutex mutex;  // for calls and recovery_mark
  std::vector<call_record> calls;
  steady_time recovery_mark = steady_time::max();  // successes started after it count
  std::atomic<bool> stopping{false};
  std::atomic<int> running{0};
  std::atomic<bool> read_back{false};
  std::atomic<bool> write_back{false};

  // Keeps `r`; true when it succeeded after the recovery mark.
  bool record(call_record r) {
    const std::lock_guard lock(mutex);
    const bool back = !r.ec && r.start >= recovery_mark;
    calls.push_back(std::move(r));
    return back;
  }
};

awaitable<void> reader(load_state& s, int index) {
  ++s.running;
  for (int n = index; !s.stopping; n += s.options.readers) {
    call_record r;
    r.start = steady_clock::now();
    auto [ec, res] = co_await s.db.call("probe", n, s.options.server_seconds, as_tuple);
    r.end = steady_clock::now();
    if (!ec && (res.size() != 1 || res[0].at("n").to_number<int>() != n))
      ec = pgfns::errc::protocol_error;  // a wrong answer would be the worst failure of all
    r.ec = ec;
    if (ec) r.error = pgfns::format_error(ec, res.diag);
    if (s.record(std::move(r))) s.read_back = true;
    if (ec) co_await sleep_for(std::chrono::milliseconds(20));  // no busy loop during an outage
  }
  --s.running;
}

awaitable<void> writer(load_state& s, int index) {
  ++s.running;
  for (std::int64_t seq = 0; !s.stopping; ++seq) {
    call_record r;
    r.write = true;
    r.id = s.first_id + index * std::int64_t{1'000'000} + seq;
    const int every = s.options.fail_every;
    r.refused_on_purpose = every > 0 && seq % every == every - 1;
    r.start = steady_clock::now();
    auto [ec, res] = co_await s.db.call("record_write", r.id, r.refused_on_purpose,
                                        s.options.server_seconds, as_tuple);
    r.end = steady_clock::now();
    r.ec = ec;
    if (ec) r.error = pgfns::format_error(ec, res.diag);
    if (s.record(std::move(r))) s.write_back = true;
    if (ec) co_await sleep_for(std::chrono::milliseconds(20));
  }
  --s.running;
}

bool failed_as_asked(const call_record& c) {
  return c.refused_on_purpose && pgfns::sqlstate_of(c.ec) == "P0001";
}

double rate(const fault_run& run, steady_time from, steady_time to) {
  std::size_t n = 0;
  for (const auto& c : run.calls) n += c.start >= from && c.end <= to;
  const double seconds = std::chrono::duration<double>(to - from).count();
  return seconds > 0 ? n / seconds : 0;
}

}  // namespace

std::shared_ptr<const pgfns::schema> faults_schema() {
  static const auto s = [] {
    const char* src = std::getenv("PGFNS_SOURCE_DIR");
    if (!src) throw std::runtime_error("PGFNS_SOURCE_DIR is not set");
    return std::make_shared<const pgfns::schema>(pgfns::schema::from_db_directory(
        std::filesystem::path(src) / "test" / "fixtures" / "faults-db"));
  }();
  return s;
}

void install_faults_schema(const std::string& admin_url, const std::string& prefix,
                           const std::string& standby_url) {
  pgfns::upgrade_options o;
  o.admin_url = admin_url;
  o.prefix = prefix;
  o.create_users = true;
  o.skip_checks = true;  // the tests connect as the superuser
  pgfns::upgrade(*faults_schema(), o);
  const std::string latest = std::to_string(faults_schema()->latest_version());
  for (int i = 0; i < 500; ++i) {
    try {
      if (query_value(standby_url, "select version from tcversion") == latest) return;
    } catch (const std::exception&) {  // not replayed yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("the standby did not replay the faults schema in 10 s");
}

namespace {
private_cluster* the_cluster = nullptr;
}

faults_cluster_fixture::faults_cluster_fixture(const private_cluster_options& options) {
  the_cluster = new private_cluster(options);
  install_faults_schema(the_cluster->primary_url(), "faults", the_cluster->standby_url());
}

faults_cluster_fixture::~faults_cluster_fixture() {
  delete the_cluster;
  the_cluster = nullptr;
}

private_cluster& faults_cluster() {
  if (!the_cluster) throw std::logic_error("faults_cluster_fixture is not set up");
  return *the_cluster;
}

pgfns::database_options faults_options(const std::string& write_url, const std::string& read_url) {
  pgfns::database_options o;
  o.schema = faults_schema();
  o.service = "faults";
  o.write_url = write_url;
  o.read_url = read_url;
  o.write_pool_size = 8;
  o.read_pool_size = 8;
  return o;
}

fault_run run_under_load(const pgfns::database_options& options, const load_options& load,
                         const std::function<void()>& fault) {
  static std::atomic<std::int64_t> runs{0};
  fault_run out;
  out.first_id = (++runs) * std::int64_t{1'000'000'000};
  out.last_id = out.first_id + 999'999'999;
  const auto limit = std::chrono::duration_cast<std::chrono::seconds>(
      load.baseline + load.recovery_limit + load.clean + std::chrono::seconds(60));
  const int threads = std::max(load.threads, 1);
  auto body = [&](boost::asio::io_context& ioc) -> awaitable<void> {
    auto o = options;
    o.threads = static_cast<std::size_t>(threads);
    pgfns::database db(ioc.get_executor(), o);
    co_await db.async_start();
    load_state s{db, load, out.first_id};
    for (int i = 0; i < load.readers; ++i)
      boost::asio::co_spawn(ioc, reader(s, i), boost::asio::detached);
    for (int i = 0; i < load.writers; ++i)
      boost::asio::co_spawn(ioc, writer(s, i), boost::asio::detached);
    out.load_start = steady_clock::now();
    co_await sleep_for(load.baseline);
    out.fault_start = steady_clock::now();
    co_await meanwhile(fault);
    out.fault_end = steady_clock::now();
    {
      const std::lock_guard lock(s.mutex);
      s.recovery_mark = out.fault_end;
    }
    const auto give_up = out.fault_end + load.recovery_limit;
    // Back: reads and writes succeed, and each pool reaches its own server again.
    auto back = [&] {
      return s.read_back && s.write_back && db.stats(pgfns::pool_role::read).available &&
             db.stats(pgfns::pool_role::write).available;
    };
    while (!back() && steady_clock::now() < give_up)
      co_await sleep_for(std::chrono::milliseconds(20));
    out.recovered = back();
    out.clean_start = steady_clock::now();
    co_await sleep_for(load.clean);
    out.clean_end = steady_clock::now();
    s.stopping = true;
    while (s.running > 0) co_await sleep_for(std::chrono::milliseconds(10));
    const std::lock_guard lock(s.mutex);  // no co_await after it
    out.calls = std::move(s.calls);
  };
  if (threads == 1) {
    run_coroutine(body, limit);
  } else {
    run_on_threads(
        1, threads, [&](context_list& c, thread_ids&) { return body(*c.front()); }, limit);
  }
  return out;
}

std::vector<std::string> check_run(const fault_run& run, const expectations& e) {
  std::vector<std::string> problems;
  std::size_t unknown = 0;
  auto note = [&](const call_record& c, const std::string& what) {
    problems.push_back(std::string(c.write ? "write " + std::to_string(c.id) : "read") +
                       " started " + std::to_string(ms(c.start - run.fault_start)) +
                       " ms after the fault began, took " + std::to_string(ms(c.end - c.start)) +
                       " ms: " + what + (c.error.empty() ? "" : " [" + c.error + "]"));
  };
  for (const auto& c : run.calls) {
    if (e.call_timeout.count() > 0 && c.end - c.start > e.call_timeout + e.margin)
      note(c, "outlived its deadline");
    if (c.refused_on_purpose) {
      if (!c.ec) note(c, "succeeded although the server refuses it");
      if (!c.ec || failed_as_asked(c)) continue;
    } else if (!c.ec) {
      continue;
    }
    if (c.ec == pgfns::errc::outcome_unknown) {
      ++unknown;
      if (c.start >= run.fault_end) note(c, "outcome unknown although sent after the fault");
    }
    if (c.end < run.fault_start) note(c, "failed before the fault");
    if (c.start >= run.clean_start) note(c, "failed after recovery");
    if (!e.allowed.contains(code_name(c.ec))) note(c, "failed with an unexpected code");
    if (c.write ? e.writes_unaffected : e.reads_unaffected)
      note(c, std::string("failed although the fault spares ") + (c.write ? "writes" : "reads"));
  }
  if (unknown > e.unknown_bound)
    problems.push_back(std::to_string(unknown) + " writes had an unknown outcome, more than " +
                       std::to_string(e.unknown_bound));
  if (!run.recovered) problems.push_back("reads and writes did not both succeed again in time");
  const double before = rate(run, run.load_start, run.fault_start);
  const double after = rate(run, run.clean_start, run.clean_end);
  if (after < before / 3)
    problems.push_back("throughput after recovery " + std::to_string(after) +
                       " calls/s, before the fault " + std::to_string(before));
  if (problems.size() > 20) {
    const auto more = problems.size() - 20;
    problems.resize(20);
    problems.push_back("... and " + std::to_string(more) + " more");
  }
  return problems;
}

std::vector<std::string> check_ledger(const fault_run& run, const std::string& primary_url,
                                      ledger_counts& counts) {
  std::set<std::int64_t> stored;
  for (const auto& row :
       query(primary_url, "select id from ledger where id between " + std::to_string(run.first_id) +
                              " and " + std::to_string(run.last_id)))
    stored.insert(std::stoll(*row.at(0)));
  std::vector<std::string> problems;
  counts = {};
  std::set<std::int64_t> written;
  for (const auto& c : run.calls) {
    if (!c.write) continue;
    written.insert(c.id);
    const bool there = stored.contains(c.id);
    const std::string id = "write " + std::to_string(c.id);
    if (!c.ec) {
      ++counts.acknowledged;
      if (!there) problems.push_back(id + " was acknowledged but is not in the ledger");
    } else if (c.ec == pgfns::errc::outcome_unknown) {
      ++counts.unknown;
      counts.unknown_applied += there;
    } else {
      ++counts.refused;
      counts.unavailable += c.ec == pgfns::errc::server_unavailable;
      if (there) problems.push_back(id + " failed (" + c.error + ") but is in the ledger");
    }
  }
  for (std::int64_t id : stored)
    if (!written.contains(id)) problems.push_back(std::to_string(id) + " is in the ledger unasked");
  if (problems.size() > 20) problems.resize(20);
  return problems;
}

std::string summary(const fault_run& run, const ledger_counts& counts) {
  std::map<std::string, std::size_t> codes;
  for (const auto& c : run.calls)
    if (c.ec) ++codes[(c.write ? "write " : "read ") + code_name(c.ec)];
  std::string out = std::to_string(run.calls.size()) + " calls;";
  for (const auto& [code, n] : codes) out += ' ' + code + " x" + std::to_string(n) + ';';
  out += " writes acknowledged " + std::to_string(counts.acknowledged) + ", refused " +
         std::to_string(counts.refused) + ", unknown " + std::to_string(counts.unknown) + " (" +
         std::to_string(counts.unknown_applied) + " applied); fault lasted " +
         std::to_string(ms(run.fault_end - run.fault_start)) + " ms, service back " +
         std::to_string(ms(run.clean_start - run.fault_end)) + " ms later; calls/s before " +
         std::to_string(static_cast<int>(rate(run, run.load_start, run.fault_start))) + ", after " +
         std::to_string(static_cast<int>(rate(run, run.clean_start, run.clean_end)));
  return out;
}

checked_run run_and_check(const pgfns::database_options& options, const load_options& load,
                          const std::function<void()>& fault, const expectations& e,
                          const std::string& ledger_url) {
  checked_run out;
  const fault_run run = run_under_load(options, load, fault);
  out.problems = check_run(run, e);
  for (auto& problem :
       check_ledger(run, ledger_url.empty() ? options.write_url : ledger_url, out.counts))
    out.problems.push_back(std::move(problem));
  out.summary = summary(run, out.counts);
  return out;
}

}  // namespace pgfns::test
