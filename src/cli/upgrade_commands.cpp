// `pgfns upgrade|downgrade|db-version|check`: move a database between schema versions and
// prove it matches its schema. These run blocking libpq calls over one admin connection.
#include "command.hpp"
#include "schema_input.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/upgrade.hpp>

#include <chrono>
#include <ostream>

namespace pgfns::cli {
namespace {

int to_version(const parsed_args& args) {
  const auto n = *args.integer("to");
  if (n < 0 || n > 1'000'000)
    throw usage_error("--to must be a version number, not " + std::to_string(n));
  return static_cast<int>(n);
}

// --connect-timeout and --timeout over the command's defaults.
admin_timeouts timeouts_from(const parsed_args& args, admin_timeouts t) {
  if (auto connect = args.seconds("connect-timeout")) t.connect = *connect;
  if (auto answer = args.seconds("timeout")) t.answer = *answer;
  return t;
}

upgrade_options options_from(const parsed_args& args, const output& io) {
  upgrade_options o;
  o.timeouts = timeouts_from(args, o.timeouts);
  o.admin_url = *args.value("admin-url");
  o.prefix = *args.value("prefix");
  if (args.value("to")) o.target = to_version(args);
  o.dry_run = args.flag("dry-run");
  if (const auto seconds = args.integer("lock-timeout")) {
    if (*seconds < 0) throw usage_error("--lock-timeout must be 0 or more seconds");
    o.lock_timeout = std::chrono::seconds(*seconds);
  }
  o.progress = [&io](const progress_event& e) { io.err << to_string(e) << std::endl; };
  return o;
}

int finish(const migration_plan& plan, bool dry_run, const output& io) {
  if (dry_run) {
    io.out << to_string(plan);
  } else {
    io.out << "database at version " << plan.to_version << '\n';
  }
  return exit_ok;
}

int run_upgrade(const parsed_args& args, const output& io) {
  auto o = options_from(args, io);  // a usage error costs no schema load
  const schema s = load_schema(*args.value("db"), io);
  o.create_users = args.flag("create-users");
  o.skip_checks = args.flag("skip-checks");
  return finish(upgrade(s, o), o.dry_run, io);
}

int run_downgrade(const parsed_args& args, const output& io) {
  const auto o = options_from(args, io);
  const schema s = load_schema(*args.value("db"), io);
  return finish(downgrade(s, o), o.dry_run, io);
}

int run_db_version(const parsed_args& args, const output& io) {
  io.out << db_version(*args.value("admin-url"), timeouts_from(args, {})) << '\n';
  return exit_ok;
}

int run_check(const parsed_args& args, const output& io) {
  const auto timeouts = timeouts_from(args, {});
  const schema s = load_schema(*args.value("db"), io);
  const auto problems =
      check_database(*args.value("admin-url"), s, *args.value("prefix"), timeouts);
  for (const auto& p : problems) io.out << p << '\n';
  if (!problems.empty()) return exit_failure;
  io.out << "ok\n";
  return exit_ok;
}

const option_spec db_option{.name = "db",
                            .value_name = "DIR",
                            .help =
                                "the schema: a directory (versions/, access.yml, tables.yml) or "
                                "its JSON form from 'pgfns schema json'",
                            .required = true};
const option_spec admin_url_option{
    .name = "admin-url",
    .value_name = "URL",
    .help = "libpq URL or key=value string of a role that may change the schema",
    .required = true,
    .env = "PGFNS_ADMIN_URL"};
const option_spec connect_timeout_option{
    .name = "connect-timeout",
    .value_name = "SECONDS",
    .help =
        "give up connecting after this long, e.g. 3 or 2.5; a connect_timeout in the URL "
        "wins; 0: no bound (default 10)"};
// --timeout: the longest wait for the server's answer to one statement.
const option_spec quick_timeout_option{
    .name = "timeout",
    .value_name = "SECONDS",
    .help =
        "give up when the server has not answered a statement within this long (the "
        "connection is closed); 0: no bound (default 60)"};
const option_spec long_timeout_option{
    .name = "timeout",
    .value_name = "SECONDS",
    .help =
        "give up when the server has not answered a statement (a migration script, ...) "
        "within this long: the connection is closed and the version's transaction rolls "
        "back; 0: no bound (default 3600)"};
const option_spec prefix_option{.name = "prefix",
                                .value_name = "PREFIX",
                                .help = "service users are PREFIX_<service> (^[a-z_]+$)",
                                .required = true};
const option_spec dry_run_option{
    .name = "dry-run", .help = "print the plan (versions, scripts, functions) and change nothing"};
const option_spec lock_timeout_option{
    .name = "lock-timeout",
    .value_name = "SECONDS",
    .help = "wait at most this long for another upgrade or downgrade (default 300)"};

}  // namespace

const command upgrade_command{
    {.name = "upgrade",
     .summary = "upgrade a database to the latest (or a given) schema version",
     .description =
         "Applies each version above the database's, one transaction per version, running\n"
         "online migrations to completion; one progress line per version on stderr. At the\n"
         "latest version it then checks grants (access.yml), tables (tables.yml) and functions\n"
         "and fails on any mismatch. Refuses when an applied version's definition was edited.\n"
         "Prints 'database at version N' (or, with --dry-run, the plan) on stdout.",
     .options = {db_option,
                 admin_url_option,
                 prefix_option,
                 {.name = "to", .value_name = "N", .help = "stop at version N (default: latest)"},
                 {.name = "create-users",
                  .help = "create missing service users (LOGIN only); revoke PUBLIC's privileges "
                          "on the database and schema public"},
                 dry_run_option,
                 {.name = "skip-checks", .help = "skip the grant, table and function checks"},
                 lock_timeout_option,
                 connect_timeout_option,
                 long_timeout_option},
     .positionals = {}},
    run_upgrade};

const command downgrade_command{
    {.name = "downgrade",
     .summary = "downgrade a database to an earlier schema version",
     .description =
         "Undoes each version above N, one transaction per version: runs its downgrade script\n"
         "and restores every method it changed to its previous definition (or drops it), then\n"
         "any online downgrade. Refuses a database newer than the schema.",
     .options = {db_option,
                 admin_url_option,
                 prefix_option,
                 {.name = "to", .value_name = "N", .help = "the target version", .required = true},
                 dry_run_option,
                 lock_timeout_option,
                 connect_timeout_option,
                 long_timeout_option},
     .positionals = {}},
    run_downgrade};

const command db_version_command{
    {.name = "db-version",
     .summary = "print a database's schema version",
     .description = "Prints the version number alone (0 for a database pgfns never upgraded).",
     .options = {admin_url_option, connect_timeout_option, quick_timeout_option},
     .positionals = {}},
    run_db_version};

const command check_command{
    {.name = "check",
     .summary = "check a database's grants, tables and functions against its schema",
     .description =
         "Compares each service user's privileges with access.yml (and flags SUPERUSER,\n"
         "CREATEROLE, CREATEDB, REPLICATION, role memberships, objects and large objects a\n"
         "service user owns, temporary ones included, and privileges of PUBLIC on the database\n"
         "and schema public), the tables with tables.yml, and each method's function with the\n"
         "schema's latest definition (arguments, return type, language, body, SECURITY\n"
         "DEFINER). Prints every mismatch, one per line, and exits 1; or prints 'ok'.",
     .options = {db_option, admin_url_option, prefix_option, connect_timeout_option,
                 quick_timeout_option},
     .positionals = {}},
    run_check};

}  // namespace pgfns::cli
