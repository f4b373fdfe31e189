// Passwords from connection strings never show in what a service sees at run time: the error
// and diagnostics of database::async_start, the diagnostics of calls, the monitoring events,
// and what `pgfns call` prints. The URLs are those of password_login.hpp, failing and
// succeeding, given as the write URL and as the read URL.
#include "core_db.hpp"
#include "password_login.hpp"
#include "run_process.hpp"
#include "run_until.hpp"

#include <pgfns/database.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <memory>

using namespace pgfns;
using namespace pgfns::test;

namespace {

void expect_no_password(const std::string& text) {
  BOOST_TEST(!shows_password(text), "password shown in: " << text);
}

std::string db_dir() {
  return (env_dir("PGFNS_SOURCE_DIR") / "db").string();
}

// password_login's database upgraded to db/'s latest version, so a database can start on it.
struct upgraded_login : password_login {
  std::shared_ptr<const schema> s =
      std::make_shared<const schema>(schema::from_db_directory(db_dir()));
  std::vector<std::string> seen;  // every text the monitoring hooks were given

  upgraded_login() {
    upgrade(*s, options_for(db, roles.prefix()));
    db.wait_for_standby();
  }

  database_options options(const std::string& write_url, const std::string& read_url) {
    database_options o;
    o.schema = s;
    o.service = "catalog";
    o.write_url = write_url;
    o.read_url = read_url;
    o.write_pool_size = o.read_pool_size = 1;
    o.connect_timeout = std::chrono::seconds(5);
    o.monitor.on_call = [this](const call_event& e) {
      seen.emplace_back(e.method);
      seen.emplace_back(e.sqlstate);
      seen.push_back(e.ec.message());
    };
    return o;
  }
};

// What async_start reported, or what the constructor threw.
struct start_outcome {
  std::string thrown;
  boost::system::error_code ec;
  diagnostics diag;
  std::string text() const { return thrown.empty() ? format_error(ec, diag) : thrown; }
};

start_outcome start(const database_options& o) {
  start_outcome out;
  try {
    boost::asio::io_context ioc;
    database db(ioc.get_executor(), o);
    bool done = false;
    db.async_start([&](boost::system::error_code ec, diagnostics d) {
      out.ec = ec;
      out.diag = std::move(d);
      done = true;
    });
    BOOST_TEST_REQUIRE(run_until(ioc, [&] { return done; }));
    db.close();
  } catch (const std::exception& e) {
    out.thrown = e.what();
  }
  return out;
}

void expect_clean_start_failure(const start_outcome& r, const failing_url& f,
                                const std::string& user) {
  BOOST_TEST((!r.thrown.empty() || r.ec == errc::connect_failed), r.text());
  expect_no_password(r.text());
  expect_no_password(r.diag.message);
  expect_no_password(r.diag.server);
  // Where: host, port and database (the diagnostics of calls name no user).
  for (const auto& part : f.where) {
    if (part != user) BOOST_TEST(r.text().find(part) != std::string::npos, r.text());
  }
}

process_result cli(std::vector<std::string> args) {
  args.insert(args.begin(), std::getenv("PGFNS_CLI"));
  return run_process(args);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(call_password_redaction)

BOOST_FIXTURE_TEST_CASE(a_failing_start_names_the_server_but_not_the_password, upgraded_login) {
  for (const auto& f : failing_urls()) {
    BOOST_TEST_CONTEXT(f.label << ", as the write URL") {
      expect_clean_start_failure(start(options(f.url, "")), f, user);
    }
    BOOST_TEST_CONTEXT(f.label << ", as the read URL, without read fallback") {
      auto o = options(good_uri(), f.url);
      o.read_fallback = false;
      expect_clean_start_failure(start(o), f, user);
    }
    BOOST_TEST_CONTEXT(f.label << ", as the read URL, with read fallback") {
      const auto r = start(options(good_uri(), f.url));
      BOOST_TEST((!r.thrown.empty() || !r.ec), r.text());  // refused at once, or started
      expect_no_password(r.text());
      expect_no_password(r.diag.message);
      expect_no_password(r.diag.server);
    }
  }
}

// With the right password (in every form, as write and as read URL) the calls work, and
// nothing they report, successful or not, shows it.
BOOST_FIXTURE_TEST_CASE(calls_and_monitoring_show_no_password, upgraded_login) {
  const std::vector<std::string> urls{good_uri(), good_full_uri(), good_query_uri(),
                                      good_keywords()};
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    const auto& write_url = urls[i];
    const auto& read_url = urls[(i + 1) % urls.size()];
    const auto record = [&](boost::system::error_code ec, const result& r) {
      texts.push_back(format_error(ec, r.diag));
      texts.push_back(r.diag.server);
      texts.push_back(r.diag.message);
    };
    run_coroutine([&](boost::asio::io_context& ioc) -> boost::asio::awaitable<void> {
      database db(ioc.get_executor(), options(write_url, read_url));
      co_await db.async_start();
      const std::string sku = "sku-" + std::to_string(i);
      auto [e1, created] = co_await db.call("create_product", sku, "pen", "blue", 1.5, 3, nullptr,
                                            nullptr, as_tuple);
      record(e1, created);
      BOOST_TEST(!e1, format_error(e1, created.diag));
      auto [e2, missing] = co_await db.call("set_stock", -1, 1, as_tuple);  // no such product
      record(e2, missing);
      BOOST_TEST(sqlstate_of(e2) == "P0002");
      auto [e3, refused] = co_await db.call("set_order_status", "x", "paid", as_tuple);
      record(e3, refused);
      BOOST_TEST((e3 == errc::wrong_service));
      auto [e4, listed] = co_await db.call("list_products_after", nullptr, 10, as_tuple);
      record(e4, listed);
      BOOST_TEST(listed.size() == i + 1);
      db.close();
    });
  }
  BOOST_TEST(seen.size() == 3 * 4 * urls.size());  // three texts of four calls per round
  for (const auto& t : texts) expect_no_password(t);
  for (const auto& t : seen) expect_no_password(t);
}

BOOST_FIXTURE_TEST_CASE(pgfns_call_prints_no_password, upgraded_login) {
  const auto call = [&](const std::string& write_url, const std::string& read_url) {
    std::vector<std::string> args{"call",    "--db",        db_dir(), "--service",
                                  "catalog", "--write-url", write_url};
    if (!read_url.empty()) args.insert(args.end(), {"--read-url", read_url});
    args.insert(args.end(), {"list_products_after", "null", "5"});
    auto r = cli(args);
    expect_no_password(r.out);
    expect_no_password(r.err);
    return r;
  };
  for (const auto& f : failing_urls()) {
    BOOST_TEST_CONTEXT(f.label) {
      const auto r = call(f.url, "");
      BOOST_TEST(r.exit_code == 1);
      BOOST_TEST(r.err.starts_with("error: "), r.err);
      for (const auto& part : f.where) {
        if (part != user) BOOST_TEST(r.err.find(part) != std::string::npos, r.err);
      }
      call(good_uri(), f.url);  // a failing read server: refused, or read from the primary
    }
  }
  for (const auto& url : {good_uri(), good_full_uri(), good_query_uri(), good_keywords()}) {
    const auto r = call(url, url);
    BOOST_TEST(r.exit_code == 0, r.err);
  }
}

BOOST_AUTO_TEST_SUITE_END()
