// Service isolation with real users: after an upgrade of db/ that creates the service users,
// each one, logged in as itself, can do exactly what access.yml grants and nothing more: no
// superuser-like attribute, no new object, no table beyond its grants, no way to widen its
// privileges, and no schema change (upgrades need the admin URL). The service users log in by
// trust, as the test cluster allows on loopback.
#include "core_db.hpp"
#include "role_urls.hpp"
#include "run_process.hpp"
#include "upgrade_test.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/database.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>

using namespace pgfns;
using namespace pgfns::test;

namespace {

// What access.yml gives `service` on `table` (nullopt: nothing).
std::optional<table_access> granted(const schema& s, const std::string& service,
                                    const std::string& table) {
  for (const auto& a : s.access()) {
    if (normalize_service_name(a.name) != service) continue;
    for (const auto& [name, access] : a.tables) {
      if (name == table) return access;
    }
  }
  return std::nullopt;
}

// db/ upgraded (to `target`, default the latest) with its service users created.
struct isolated {
  service_roles roles{"iso"};
  scratch_database db{"iso"};
  schema s = schema::from_db_directory(env_dir("PGFNS_SOURCE_DIR") / "db");
  server_address address = address_of(db.write_url());

  explicit isolated(std::optional<int> target = std::nullopt) {
    auto o = options_for(db, roles.prefix());
    o.target = target;
    upgrade(s, o);
    BOOST_TEST_REQUIRE(s.services().size() == 3u);  // catalog, orders, reports
  }
  std::string user(const std::string& service) const {
    return service_user_name(roles.prefix(), service);
  }
  std::string url(const std::string& service) const { return keyword_url(address, user(service)); }
  std::string admin(const std::string& sql) const { return query_value(db.write_url(), sql); }
};

struct at_version_three : isolated {
  at_version_three() : isolated(3) {}
};

void expect_refused(const std::function<void()>& attempt, const std::string& user) {
  try {
    attempt();
    BOOST_ERROR("a service user's URL was accepted for a schema change");
  } catch (const upgrade_error& e) {
    const std::string what = e.what();
    BOOST_TEST(e.sqlstate() == "42501");
    BOOST_TEST(what.find(user) != std::string::npos, what);
    BOOST_TEST(what.find("admin URL") != std::string::npos, what);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(service_isolation)

BOOST_FIXTURE_TEST_CASE(service_users_have_no_superuser_like_attribute_or_membership, isolated) {
  for (const auto& service : s.services()) {
    BOOST_TEST_CONTEXT(user(service)) {
      // Asked as the service user itself, about itself.
      BOOST_TEST(query_value(url(service), "select current_user") == user(service));
      BOOST_TEST(query_value(url(service),
                             "select concat_ws(',', rolcanlogin, rolsuper, rolcreaterole, "
                             "rolcreatedb, rolreplication, rolbypassrls) from pg_roles "
                             "where rolname = current_user") == "t,f,f,f,f,f");
      BOOST_TEST(query_value(url(service),
                             "select count(*) from pg_auth_members m join pg_roles r "
                             "on r.oid = m.member where r.rolname = current_user") == "0");
    }
  }
}

BOOST_FIXTURE_TEST_CASE(service_users_cannot_widen_their_privileges, isolated) {
  const auto superuser = admin("select current_user");
  for (const auto& service : s.services()) {
    const auto u = url(service);
    const auto other = user(service == "catalog" ? "orders" : "catalog");
    BOOST_TEST_CONTEXT(user(service)) {
      BOOST_TEST(outcome(u, "alter role current_user superuser") == "42501");
      BOOST_TEST(outcome(u, "alter role current_user createdb createrole") == "42501");
      BOOST_TEST(outcome(u, "create role " + roles.prefix() + "_intruder login") == "42501");
      BOOST_TEST(outcome(u, "set role \"" + superuser + "\"") == "42501");
      BOOST_TEST(outcome(u, "set role " + other) == "42501");
      BOOST_TEST(outcome(u, "select pg_read_file('PG_VERSION')") == "42501");
      BOOST_TEST(outcome(u, "copy (select 1) to '/tmp/pgfns-isolation-probe'") == "42501");
      // Granting itself more on a table it may read only warns "no privileges were granted";
      // on the others it fails. Either way the grants still match access.yml below.
      for (const auto& table : s.tables()) {
        outcome(u,
                "set client_min_messages = error; grant all on " + table.name + " to current_user");
      }
    }
  }
  BOOST_TEST(check_grants(db.write_url(), s, roles.prefix()).empty());
}

BOOST_FIXTURE_TEST_CASE(service_users_cannot_create_or_change_objects, isolated) {
  const auto before =
      admin("select count(*) from pg_class where relnamespace = 'public'::regnamespace");
  for (const auto& service : s.services()) {
    const auto u = url(service);
    BOOST_TEST_CONTEXT(user(service)) {
      BOOST_TEST(outcome(u, "create table probe (x integer)") == "42501");
      BOOST_TEST(outcome(u, "create view probe as select 1 as x") == "42501");
      BOOST_TEST(outcome(u, "create sequence probe") == "42501");
      BOOST_TEST(outcome(u,
                         "create function probe() returns integer language sql as "
                         "'select 1'") == "42501");
      BOOST_TEST(outcome(u, "create schema probe") == "42501");
      BOOST_TEST(outcome(u, "create extension if not exists hstore") == "42501");
      for (const auto& table : s.tables()) {
        BOOST_TEST_CONTEXT(table.name) {
          BOOST_TEST(outcome(u, "alter table " + table.name + " add column probe integer") ==
                     "42501");
          BOOST_TEST(outcome(u, "create index on " + table.name + " (" +
                                    table.columns.front().first + ")") == "42501");
          BOOST_TEST(outcome(u, "truncate " + table.name) == "42501");
          BOOST_TEST(outcome(u, "drop table " + table.name) == "42501");
        }
      }
    }
  }
  BOOST_TEST(admin("select count(*) from pg_class where relnamespace = 'public'::regnamespace") ==
             before);
}

// An upgrade with --create-users takes PUBLIC's TEMPORARY privilege away: a service cannot make
// tables, not even ones that live and die with its own session.
BOOST_FIXTURE_TEST_CASE(service_users_cannot_create_temporary_tables, isolated) {
  for (const auto& service : s.services()) {
    BOOST_TEST_CONTEXT(user(service)) {
      BOOST_TEST(outcome(url(service), "create temporary table probe (x integer)") == "42501");
    }
  }
  BOOST_TEST(check_database(db.write_url(), s, roles.prefix()).empty());
}

BOOST_FIXTURE_TEST_CASE(each_service_reaches_exactly_the_tables_access_yml_grants, isolated) {
  int reads = 0, writes = 0, nones = 0;  // the test covers each kind of access
  for (const auto& service : s.services()) {
    for (const auto& table : s.tables()) {
      const auto access = granted(s, service, table.name);
      (access ? (*access == table_access::write ? writes : reads) : nones)++;
      const std::string can_read = access ? "" : "42501";
      const std::string can_write = access == table_access::write ? "" : "42501";
      const auto& t = table.name;
      const auto& c = table.columns.back().first;  // never an identity column in db/
      const auto u = url(service);
      BOOST_TEST_CONTEXT(user(service) << " on " << t) {
        BOOST_TEST(outcome(u, "select count(*) from " + t) == can_read);
        BOOST_TEST(outcome(u, "insert into " + t + " (" + c + ") select " + c + " from " + t +
                                  " where false") == can_write);
        BOOST_TEST(outcome(u, "update " + t + " set " + c + " = " + c + " where false") ==
                   can_write);
        BOOST_TEST(outcome(u, "delete from " + t + " where false") == can_write);
      }
    }
  }
  BOOST_TEST(reads > 0);
  BOOST_TEST(writes > 0);
  BOOST_TEST(nones > 0);
}

BOOST_FIXTURE_TEST_CASE(services_read_the_version_and_touch_no_other_bookkeeping, isolated) {
  for (const auto& service : s.services()) {
    const auto u = url(service);
    BOOST_TEST_CONTEXT(user(service)) {
      BOOST_TEST(query_value(u, "select version from tcversion") == "4");
      BOOST_TEST(outcome(u, "update tcversion set version = version + 1") == "42501");
      BOOST_TEST(outcome(u, "delete from tcversion") == "42501");
      for (const auto& table : bookkeeping_tables()) {
        if (table == "tcversion") continue;
        BOOST_TEST_CONTEXT(table) {
          BOOST_TEST(outcome(u, "select count(*) from " + table) == "42501");
          BOOST_TEST(outcome(u, "delete from " + table) == "42501");
        }
      }
    }
  }
  BOOST_TEST(admin("select version from tcversion") == "4");
}

// Methods are SECURITY INVOKER: they run with the caller's grants, so a service calling
// another service's method reaches only what its own grants allow.
BOOST_FIXTURE_TEST_CASE(methods_run_with_the_callers_grants, isolated) {
  const std::string new_product =
      "select product_id from create_product('sku-1', 'pen', 'blue', 1.50, 10, null, null)";
  BOOST_TEST(outcome(url("orders"), new_product) == "42501");
  BOOST_TEST(outcome(url("reports"), new_product) == "42501");
  const auto product = query_value(url("catalog"), new_product);

  const std::string place =
      "select total from place_order(gen_random_uuid(), 'ann', null, "
      "'[{\"product_id\": " +
      product + ", \"quantity\": 2}]')";
  BOOST_TEST(outcome(url("catalog"), place) == "42501");
  BOOST_TEST(outcome(url("reports"), place) == "42501");
  BOOST_TEST(query_value(url("orders"), place) == "3.00");

  const std::string totals = "select order_count from order_totals(now() - interval '1 hour')";
  BOOST_TEST(outcome(url("catalog"), totals) == "42501");
  BOOST_TEST(query_value(url("reports"), totals) == "1");
  BOOST_TEST(query_value(url("orders"), totals) == "1");  // orders may read its own table
}

BOOST_FIXTURE_TEST_CASE(a_service_user_cannot_upgrade_or_downgrade, at_version_three) {
  const std::string functions =
      "select string_agg(proname || '(' || pg_get_function_identity_arguments(oid) || ')', "
      "',' order by 1) from pg_proc where pronamespace = 'public'::regnamespace";
  const auto functions_before = admin(functions);
  for (const auto& service : s.services()) {
    auto o = options_for(db, roles.prefix());
    o.admin_url = url(service);
    expect_refused([&] { upgrade(s, o); }, user(service));
    expect_refused([&] { plan_upgrade(s, o); }, user(service));
    o.target = 1;
    expect_refused([&] { downgrade(s, o); }, user(service));
  }
  BOOST_TEST(db_version(db.write_url()) == 3);
  BOOST_TEST(admin(functions) == functions_before);

  // The command-line tool says the same, on one line, and exits 1.
  const auto r = run_process({std::getenv("PGFNS_CLI"), "upgrade", "--db",
                              (env_dir("PGFNS_SOURCE_DIR") / "db").string(), "--admin-url",
                              url("orders"), "--prefix", roles.prefix()});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(
      r.err.starts_with("error: upgrade refused: the admin URL logs in as " + user("orders")),
      r.err);
  BOOST_TEST(db_version(db.write_url()) == 3);

  // The admin URL still can.
  upgrade(s, options_for(db, roles.prefix()));
  BOOST_TEST(db_version(db.write_url()) == 4);
}

BOOST_FIXTURE_TEST_CASE(even_an_upgrade_with_nothing_to_do_needs_the_admin_url, isolated) {
  auto o = options_for(db, roles.prefix());
  o.admin_url = url("catalog");
  expect_refused([&] { upgrade(s, o); }, user("catalog"));
  BOOST_TEST(db_version(db.write_url()) == 4);
}

// Through the library, as each service's own user: the library refuses another service's
// write methods before any SQL, and the server's grants bound everything else, including
// another service's read methods.
BOOST_FIXTURE_TEST_CASE(calls_as_each_service_user_are_bounded_by_its_grants, isolated) {
  db.wait_for_standby();
  const auto shared = std::make_shared<const schema>(s);
  const auto standby = address_of(db.read_url());
  const auto options_of = [&](const std::string& service) {
    database_options o;
    o.schema = shared;
    o.service = service;
    o.write_url = url(service);
    o.read_url = keyword_url(standby, user(service));
    o.write_pool_size = o.read_pool_size = 1;
    return o;
  };
  const std::string order = "00000000-0000-0000-0000-000000000001";
  run_with_database(options_of("catalog"), [&](database& d) -> boost::asio::awaitable<void> {
    auto [created, r1] = co_await d.call("create_product", "sku-1", "pen", "blue", 1.5, 3, nullptr,
                                         nullptr, as_tuple);
    BOOST_TEST(!created, format_error(created, r1.diag));
    auto [foreign_read, r2] = co_await d.call("get_order", order, as_tuple);  // orders' table
    BOOST_TEST(sqlstate_of(foreign_read) == "42501", format_error(foreign_read, r2.diag));
  });
  run_with_database(options_of("orders"), [&](database& d) -> boost::asio::awaitable<void> {
    auto [refused, r1] = co_await d.call("set_stock", 1, 0, as_tuple);  // catalog's write method
    BOOST_TEST((refused == errc::wrong_service));
    auto [read, r2] = co_await d.call("get_product", 1, as_tuple);  // orders may read products
    BOOST_TEST(!read, format_error(read, r2.diag));
  });
  run_with_database(options_of("reports"), [&](database& d) -> boost::asio::awaitable<void> {
    auto [totals, r1] = co_await d.call("order_totals", "2000-01-01T00:00:00Z", as_tuple);
    BOOST_TEST(!totals, format_error(totals, r1.diag));
  });
  BOOST_TEST(admin("select stock from products") == "3");
}

BOOST_AUTO_TEST_SUITE_END()
