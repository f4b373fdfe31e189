// A fresh database per test suite, upgraded to the service's schema with its service users.
#include <pgfns/testing.hpp>

#include "urls.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <random>
#include <stdexcept>

#include <boost/json/value.hpp>

namespace pgfns::testing {
namespace {

std::string random_text(std::string_view alphabet, std::size_t n) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += alphabet[pick(random)];
  return out;
}

// Letters, digits and '_' of `label`, lowercased, at most 24 of them.
std::string name_part(std::string_view label) {
  std::string out;
  for (unsigned char ch : label.substr(0, 24)) {
    out += std::isalnum(ch) ? static_cast<char>(std::tolower(ch)) : '_';
  }
  return out.empty() ? "test" : out;
}

// `s` between `quote`s, each `quote` in it doubled: SQL's quoting of literals and identifiers.
std::string quoted(std::string_view s, char quote) {
  std::string out(1, quote);
  for (char ch : s) {
    if (ch == quote) out += quote;
    out += ch;
  }
  return out + quote;
}

std::string literal(std::string_view s) {
  return quoted(s, '\'');
}

std::string identifier(std::string_view s) {
  return quoted(s, '"');
}

}  // namespace

test_database::test_database(test_servers& servers, std::shared_ptr<const schema> s,
                             test_database_options options)
    : servers_(servers),
      schema_(std::move(s)),
      prefix_("pgfns_t_" + random_text("abcdefghijklmnopqrstuvwxyz", 10)),
      password_(random_text("0123456789abcdef", 32)),
      skip_checks_(options.skip_checks) {
  if (!schema_) throw std::invalid_argument("pgfns::testing::test_database: no schema given");
  static std::atomic<unsigned> counter{0};
  const auto base = "pgfns_" + name_part(options.label) + "_" + std::to_string(getpid()) + "_";
  // A database left by an earlier process with the same id is neither reused nor dropped.
  for (int attempt = 0;; ++attempt) {
    name_ = base + std::to_string(counter++);
    try {
      testing::query(servers_.primary_url(), "create database " + identifier(name_));
      break;
    } catch (const sql_error& e) {
      if (e.sqlstate() != "42P04" || attempt == 99) throw;  // 42P04: duplicate_database
    }
  }
  try {
    const int version = options.version.value_or(schema_->latest_version());
    if (version > 0) {
      migrate_to(version);
    } else {
      wait_for_standby();
    }
  } catch (...) {
    drop();
    throw;
  }
}

test_database::~test_database() {
  drop();
}

void test_database::drop() const noexcept {
  try {
    testing::query(servers_.primary_url(),
                   "drop database if exists " + identifier(name_) + " with (force)");
    const auto roles = testing::query(
        servers_.primary_url(),
        "select rolname from pg_roles where starts_with(rolname, " + literal(prefix_ + "_") + ")");
    for (const auto& row : roles) {
      testing::query(servers_.primary_url(), "drop role if exists " + identifier(*row.at(0)));
    }
  } catch (const std::exception& e) {
    std::cerr << "pgfns::testing: could not drop test database " << name_
              << " or its users: " << e.what() << '\n';
  }
}

std::string test_database::admin_url() const {
  return url_with_database(servers_.primary_url(), name_);
}

std::string test_database::admin_read_url() const {
  const auto& standby = servers_.standby_url();
  return url_with_database(standby.empty() ? servers_.primary_url() : standby, name_);
}

std::shared_ptr<const schema> schema_until(const schema& s, int version) {
  if (version < 1 || version > s.latest_version()) {
    throw std::invalid_argument("pgfns::testing::schema_until: version " + std::to_string(version) +
                                " is outside the schema's versions 1.." +
                                std::to_string(s.latest_version()));
  }
  auto json = s.to_json();
  json.at("versions").as_array().resize(static_cast<std::size_t>(version));
  return std::make_shared<const schema>(
      schema::from_json(json, "<versions 1.." + std::to_string(version) + ">"));
}

database_options test_database::options(std::string_view service,
                                        std::optional<int> built_for) const {
  const auto wanted = normalize_service_name(service);
  const auto services = schema_->services();
  if (std::find(services.begin(), services.end(), wanted) == services.end()) {
    std::string known;
    for (const auto& s : services) known += (known.empty() ? "" : ", ") + s;
    throw std::invalid_argument("pgfns::testing: the schema has no service '" +
                                std::string(service) + "' (it has: " + known + ")");
  }
  const auto user = service_user_name(prefix_, service);
  database_options o;
  o.schema = schema_;
  if (built_for && *built_for != schema_->latest_version()) {
    auto& cached = built_for_[*built_for];
    if (!cached) cached = schema_until(*schema_, *built_for);
    o.schema = cached;
  }
  o.service = std::string(service);
  o.write_url = url_with_login(admin_url(), user, password_);
  o.read_url = url_with_login(admin_read_url(), user, password_);
  o.write_pool_size = 4;
  o.read_pool_size = 4;
  return o;
}

database test_database::open(database::executor_type ex, std::string_view service,
                             std::optional<int> built_for) const {
  return database(std::move(ex), options(service, built_for));
}

std::vector<text_row> test_database::query(const std::string& sql) const {
  return testing::query(admin_url(), sql);
}

void test_database::reset() const {
  std::string names;
  for (const auto& t : schema_->tables()) names += (names.empty() ? "" : ", ") + literal(t.name);
  if (names.empty()) return;
  const auto present = query(
      "select coalesce(string_agg(format('%I', c.relname), ', '), '') from pg_class c join "
      "pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in "
      "('r', 'p') and c.relname = any(array[" +
      names + "])");
  const auto& list = present.at(0).at(0);
  if (list && !list->empty()) exec("truncate " + *list + " restart identity cascade");
  wait_for_standby();
}

int test_database::version() const {
  return db_version(admin_url());
}

upgrade_options test_database::admin_options() const {
  upgrade_options o;
  o.admin_url = admin_url();
  o.prefix = prefix_;
  o.create_users = true;
  o.skip_checks = skip_checks_;
  return o;
}

migration_plan test_database::migrate_to(int version,
                                         const std::function<void(upgrade_options&)>& tweak) const {
  auto o = admin_options();
  o.target = version;
  if (tweak) tweak(o);
  auto plan = version >= this->version() ? upgrade(*schema_, o) : downgrade(*schema_, o);
  set_passwords();
  wait_for_standby();
  return plan;
}

void test_database::set_passwords() const {
  for (const auto& service : schema_->services()) {
    const auto user = service_user_name(prefix_, service);
    // The statement holds the password: an error names the user and SQLSTATE only.
    try {
      exec("do $$ begin if exists (select from pg_roles where rolname = " + literal(user) +
           ") then execute format('alter role %I password %L', " + literal(user) + ", " +
           literal(password_) + "); end if; end $$");
    } catch (const sql_error& e) {
      throw sql_error("pgfns::testing: could not set the password of " + user + " in " + name_ +
                          " (SQLSTATE " + e.sqlstate() + ")",
                      e.sqlstate());
    }
  }
}

}  // namespace pgfns::testing
