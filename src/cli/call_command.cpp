// `pgfns call`: call one method of a schema the way a service would, and print its rows.
#include "call_arguments.hpp"
#include "command.hpp"
#include "schema_input.hpp"

#include <pgfns/database.hpp>
#include <pgfns/error.hpp>
#include <pgfns/schema.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <ostream>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace pgfns::cli {
namespace {

// The calling service must be one the schema knows (access.yml or a method's serviceName):
// another name would connect as a user the schema never granted anything.
void require_known_service(const schema& s, const std::string& service) {
  const std::vector<std::string> known = s.services();
  if (std::binary_search(known.begin(), known.end(), normalize_service_name(service))) return;
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  throw usage_error(
      "--service " + boost::json::serialize(boost::json::string(service)) +
      " is not a service of the schema (its services: " + (list.empty() ? "none" : list) + ")");
}

struct call_outcome {
  bool done = false;
  boost::system::error_code ec;
  result r;
};

constexpr auto as_tuple = boost::asio::as_tuple(boost::asio::deferred);

// `args` is a boost::json::object (named) or a boost::json::array (positional).
template <class Args>
auto invoke(database& db, const std::string& method, bool deprecated, const Args& args) {
  return deprecated ? db.call_deprecated(method, args, as_tuple) : db.call(method, args, as_tuple);
}

boost::asio::awaitable<void> call(database& db, std::string method, bool deprecated,
                                  boost::json::value args, call_outcome& out) {
  auto [start_ec, diag] = co_await db.async_start(as_tuple);
  if (start_ec) {
    out.ec = start_ec;
    out.r.diag = std::move(diag);
  } else if (args.is_object()) {
    std::tie(out.ec, out.r) = co_await invoke(db, method, deprecated, args.get_object());
  } else {
    std::tie(out.ec, out.r) = co_await invoke(db, method, deprecated, args.get_array());
  }
  db.close();
  out.done = true;
}

int run_call(const parsed_args& args, const output& io) {
  database_options options;  // the values checked first: a usage error costs no schema load
  if (auto lag = args.seconds("max-replica-lag")) options.max_replica_lag = *lag;
  if (auto ms = args.integer("statement-timeout-ms")) {
    if (*ms < 0)
      throw usage_error(
          "option --statement-timeout-ms of 'pgfns call' expects 0 or more "
          "milliseconds (0: the server's setting), not '" +
          std::to_string(*ms) + "'");
    options.statement_timeout = std::chrono::milliseconds(*ms);
  }
  if (auto pooler = args.value("pooler")) {
    if (*pooler == "transaction")
      options.pooler = pooler_mode::transaction;
    else if (*pooler != "none")
      throw usage_error("option --pooler of 'pgfns call' expects 'transaction' or 'none', not " +
                        boost::json::serialize(boost::json::string(*pooler)));
  }
  if (auto connect = args.seconds("connect-timeout")) options.connect_timeout = *connect;
  if (auto deadline = args.seconds("timeout")) options.call_timeout = *deadline;
  const auto& words = args.positionals();
  boost::json::value call_args = call_arguments(std::span(words).subspan(1), args.value("named"));
  options.schema = std::make_shared<const schema>(load_schema(*args.value("db"), io));
  options.service = *args.value("service");
  require_known_service(*options.schema, options.service);
  options.write_url = *args.value("write-url");
  options.read_urls = args.values("read-url");
  options.write_pool_size = options.read_pool_size = 1;
  options.application_name = "pgfns call";

  boost::asio::io_context ioc;
  database db(ioc.get_executor(), options);
  call_outcome out;
  boost::asio::co_spawn(
      ioc, call(db, args.positionals().front(), args.flag("deprecated"), std::move(call_args), out),
      boost::asio::detached);
  ioc.run();
  if (!out.done) throw std::runtime_error("the call did not complete");
  if (out.ec) throw pgfns::error(out.ec, out.r.diag);  // printed as every error is, exit 1
  for (const auto& row : out.r.rows) io.out << boost::json::serialize(row) << '\n';
  if (args.flag("verbose")) {
    const diagnostics& d = out.r.diag;  // the server as host:port/database, never a password
    io.err << "served: method " << d.method << ", " << d.pool << " pool, server " << d.server
           << '\n';
  }
  return exit_ok;
}

}  // namespace

const command call_command{
    {.name = "call",
     .summary = "call one method, as a service would, and print its rows",
     .description =
         "Loads the schema DIR, connects as service NAME (checking that the database is at\n"
         "least at the schema's latest version) and calls METHOD through the same routing as\n"
         "the library: write methods on the write server; read methods on a read server that is\n"
         "up, a standby, at the method's version and within --max-replica-lag of the write\n"
         "server, else on the write server; another service's write methods refused. An ARG\n"
         "starting with {, [ or \" must be JSON, at most 1000 levels deep (else exit 2); any\n"
         "other ARG is a number, true, false or null when it is one, and text otherwise. Prints\n"
         "each row as one JSON object per line (and with --verbose, on stderr, the pool and\n"
         "server that answered). On error prints\n"
         "  error: <SQLSTATE or code>: <message> (method, pool, server)\n"
         "on stderr and exits 1. Passwords in URLs are never printed.",
     .options =
         {{.name = "db",
           .value_name = "DIR",
           .help = "the schema: a directory or its JSON form from 'pgfns schema json'",
           .required = true},
          {.name = "service",
           .value_name = "NAME",
           .help =
               "the calling service, one of the schema's (decides which write methods it may call)",
           .required = true},
          {.name = "write-url",
           .value_name = "URL",
           .help = "the primary",
           .required = true,
           .env = "PGFNS_WRITE_URL"},
          {.name = "read-url",
           .value_name = "URL",
           .help = "a server for read methods, a standby of the write server (without one: "
                   "the write server)",
           .repeatable = true,
           .env = "PGFNS_READ_URL"},
          {.name = "max-replica-lag",
           .value_name = "SECONDS",
           .help = "how far behind the write server a read server may be and still serve "
                   "reads, e.g. 1 or 2.5; 0: no bound (default: 5)"},
          {.name = "connect-timeout",
           .value_name = "SECONDS",
           .help = "give up connecting to a server after this long, e.g. 3 or 2.5; a "
                   "connect_timeout in its URL wins (default 10)"},
          {.name = "timeout",
           .value_name = "SECONDS",
           .help = "the call's deadline: waiting, sending and the server's answer; a write "
                   "still running then is cancelled; 0: no deadline (default 30)"},
          {.name = "named",
           .value_name = "JSON",
           .help = "named arguments as one JSON object, e.g. '{\"id_in\": 1}'"},
          {.name = "statement-timeout-ms",
           .value_name = "MS",
           .help = "cancel the call on the server after MS milliseconds, 0 or more (0: the "
                   "server's setting)"},
          {.name = "pooler",
           .value_name = "MODE",
           .help = "'transaction': the URLs lead to a pooler in transaction mode (pgbouncer's "
                   "pool_mode = transaction), so no session state is relied on; 'none' "
                   "(default): they lead to the servers"},
          {.name = "deprecated", .help = "allow calling a deprecated method"},
          {.name = "verbose",
           .help = "after the rows, print on stderr which pool and server answered: 'served: "
                   "method M, read pool, server HOST:PORT/DB'"}},
     .positionals = {{.name = "METHOD", .help = "the method to call"},
                     {.name = "ARG",
                      .help = "positional arguments, in order",
                      .required = false,
                      .variadic = true}}},
    run_call};

}  // namespace pgfns::cli
