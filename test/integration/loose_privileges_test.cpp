// The checks report what a service user owns (large objects, temporary tables, while the
// session that made them lives) and what PUBLIC may do with the database; an upgrade with
// --create-users takes PUBLIC's privileges away so that services alone may connect, and stops
// service users from making temporary tables and large objects. Fixture: upgrade-lifecycle
// (maker writes widgets, viewer reads them).
#include "role_urls.hpp"
#include "upgrade_test.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

#include <libpq-fe.h>

#include <memory>

using namespace pgfns;
using namespace pgfns::test;

namespace {

// One connection kept open, as a service's would be, so that its temporary objects live.
class held_session {
 public:
  explicit held_session(const std::string& url) : conn_(PQconnectdb(url.c_str()), &PQfinish) {
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
      throw std::runtime_error(std::string("connect: ") + PQerrorMessage(conn_.get()));
    }
  }
  // The first field of the first row ("" when there is none).
  std::string run(const std::string& sql) {
    const std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn_.get(), sql.c_str()),
                                                          &PQclear);
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      throw std::runtime_error(sql + ": " + PQresultErrorMessage(r.get()));
    }
    return PQntuples(r.get()) > 0 ? PQgetvalue(r.get(), 0, 0) : "";
  }

 private:
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
};

struct lifecycle {
  service_roles roles{"loose"};
  scratch_database db{"loose"};
  schema s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));
  std::string maker = roles.prefix() + "_maker";
  std::string viewer = roles.prefix() + "_viewer";
  std::string database = "\"" + db.name() + "\"";  // for SQL; the checks print db.name()

  std::string url(const std::string& user) const {
    return keyword_url(address_of(db.write_url()), user);
  }
  std::vector<std::string> problems() const {
    return check_database(db.write_url(), s, roles.prefix());
  }
};

// Upgraded with --create-users.
struct upgraded : lifecycle {
  upgraded() { upgrade(s, options_for(db, roles.prefix())); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(loose_privileges)

BOOST_FIXTURE_TEST_CASE(a_clean_database_checks_ok, upgraded) {
  BOOST_TEST(problems().empty());
  BOOST_TEST(query_value(url(maker), "select current_user") == maker);
}

BOOST_FIXTURE_TEST_CASE(public_keeps_its_privileges_without_create_users, lifecycle) {
  db.exec("create role " + maker + " login; create role " + viewer + " login");
  auto o = options_for(db, roles.prefix());
  o.create_users = false;
  upgrade(s, o);  // its own checks leave the database's privileges to the deployer
  const std::vector<std::string> expected{
      "unexpected grant: PUBLIC: CONNECT on database " + db.name(),
      "unexpected grant: PUBLIC: TEMPORARY on database " + db.name(),
      "unexpected grant: PUBLIC: USAGE on schema public"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
  BOOST_TEST(check_grants(db.write_url(), s, roles.prefix()) == expected,
             boost::test_tools::per_element());

  upgrade(s, options_for(db, roles.prefix()));  // --create-users: the users exist already
  BOOST_TEST(problems().empty());
  BOOST_TEST(query_value(url(viewer), "select widget_colour('none') is null") == "t");
}

BOOST_FIXTURE_TEST_CASE(only_the_service_users_may_connect, upgraded) {
  const std::string stranger = roles.prefix() + "_stranger";
  db.exec("create role " + stranger + " login");
  BOOST_TEST(outcome(url(stranger), "select 1").starts_with("no SQLSTATE: "));
  BOOST_TEST(outcome(url(maker), "select 1") == "");
  db.exec("revoke connect on database " + database + " from " + maker);
  const std::vector<std::string> expected{maker + " may not connect to the database"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(service_users_make_no_temporary_tables_or_large_objects, upgraded) {
  for (const auto& user : {maker, viewer}) {
    BOOST_TEST_CONTEXT(user) {
      BOOST_TEST(outcome(url(user), "create temporary table probe (x integer)") == "42501");
      BOOST_TEST(outcome(url(user), "select lo_from_bytea(0, 'x')") == "42501");
      BOOST_TEST(outcome(url(user), "select lo_create(0)") == "42501");
      BOOST_TEST(outcome(url(user), "select lo_creat(-1)") == "42501");
    }
  }
  BOOST_TEST(problems().empty());
}

BOOST_FIXTURE_TEST_CASE(a_large_object_of_a_service_user_is_reported, upgraded) {
  // What an older database let a service do: its large objects outlive its session.
  db.exec("grant execute on function lo_from_bytea(oid, bytea) to " + maker);
  const auto oid = query_value(url(maker), "select lo_from_bytea(0, 'x')");
  db.exec("revoke execute on function lo_from_bytea(oid, bytea) from " + maker);
  const std::vector<std::string> one{maker + " owns 1 large object (" + oid + ")"};
  BOOST_TEST(problems() == one, boost::test_tools::per_element());

  const auto second = query_value(db.write_url(), "select lo_from_bytea(0, 'y')");
  db.exec("alter large object " + second + " owner to " + maker);
  const auto two = problems();
  BOOST_TEST_REQUIRE(two.size() == 1u);
  BOOST_TEST(two.front().starts_with(maker + " owns 2 large objects (first " + oid + ", "),
             two.front());
}

BOOST_FIXTURE_TEST_CASE(a_temporary_table_is_reported_while_its_session_lives, upgraded) {
  db.exec("grant temporary on database " + database + " to " + viewer);
  std::string schema_name;
  {
    held_session service(url(viewer));
    service.run("create temporary table probe (x integer)");
    schema_name = service.run("select nspname from pg_namespace where oid = pg_my_temp_schema()");
    const std::vector<std::string> expected{
        viewer + " owns table " + schema_name + ".probe",
        "unexpected grant: " + viewer + ": TEMPORARY on database " + db.name()};
    BOOST_TEST(problems() == expected, boost::test_tools::per_element());
    service.run("drop table probe");
  }
  db.exec("revoke temporary on database " + database + " from " + viewer);
  BOOST_TEST(problems().empty());
}

BOOST_FIXTURE_TEST_CASE(objects_a_service_user_owns_are_reported, upgraded) {
  db.exec("create type mood as enum ('ok'); alter type mood owner to " + maker +
          "; create schema scratch authorization " + viewer);
  const std::vector<std::string> expected{maker + " owns type mood",
                                          viewer + " owns schema scratch"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(public_may_not_create_in_schema_public, upgraded) {
  db.exec("grant create on schema public to public");
  const std::vector<std::string> expected{"unexpected grant: PUBLIC: CREATE on schema public"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
