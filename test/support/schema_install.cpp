#include "schema_install.hpp"

#include "detail/pq_handle.hpp"

#include <stdexcept>

namespace pgfns::test {
namespace {

using conn_ptr = pgfns::detail::conn_handle;
using result_ptr = pgfns::detail::result_handle;

result_ptr exec(PGconn* c, const std::string& sql, const std::string& what) {
  result_ptr r(PQexec(c, sql.c_str()));
  const auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error(what + ": " + PQresultErrorMessage(r.get()));
  return r;
}

// A dollar-quoted literal whose tag does not occur in the text.
std::string dollar_quote(const std::string& text) {
  std::string tag = "$pgfns$";
  for (int i = 0; text.find(tag) != std::string::npos; ++i)
    tag = "$pgfns" + std::to_string(i) + "$";
  return tag + text + tag;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

int current_version(PGconn* c) {
  exec(c, "create table if not exists tcversion (version integer primary key)", "tcversion");
  auto r = exec(c, "select version from tcversion", "tcversion");
  if (PQntuples(r.get()) == 0) {
    exec(c, "insert into tcversion (version) values (0)", "tcversion");
    return 0;
  }
  return std::stoi(PQgetvalue(r.get(), 0, 0));
}

}  // namespace

void install_schema(const std::string& url, const pgfns::schema& s, std::string_view prefix,
                    int up_to) {
  conn_ptr c(PQconnectdb(url.c_str()));
  if (PQstatus(c.get()) != CONNECTION_OK)
    throw std::runtime_error(std::string("install_schema: ") + PQerrorMessage(c.get()));
  exec(c.get(), "set client_min_messages = warning", "settings");
  const int target = up_to > 0 ? up_to : s.latest_version();
  for (int v = current_version(c.get()) + 1; v <= target; ++v) {
    const pgfns::version& ver = *s.find_version(v);
    const std::string what = "version " + std::to_string(v);
    exec(c.get(), "begin", what);
    if (ver.migration_script) {
      const std::string script = replace_all(*ver.migration_script, "$db_user_prefix$", prefix);
      exec(c.get(), "do " + dollar_quote(script), what + " migration script");
    }
    for (const pgfns::method& m : ver.methods) {
      if (m.stub) continue;
      exec(c.get(),
           "create or replace function \"" + m.name + "\"(" + m.args + ") returns " + m.returns +
               " as " + dollar_quote(m.body) + " language plpgsql",
           what + " method " + m.name);
    }
    exec(c.get(), "update tcversion set version = " + std::to_string(v), what);
    exec(c.get(), "commit", what);
  }
}

}  // namespace pgfns::test
