#include "admin/bookkeeping.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace pgfns::detail {
namespace {

bool table_exists(admin_session& db, const char* name) {
  return db.scalar("select to_regclass($1) is not null", {std::string(name)}) == "t";
}

}  // namespace

}  // namespace pgfns::detail

namespace pgfns {

// Kept beside the statements below that create these tables.
const std::vector<std::string>& bookkeeping_tables() {
  static const std::vector<std::string> names{"tcversion", "tcversion_history", "tcversion_online"};
  return names;
}

}  // namespace pgfns

namespace pgfns::detail {

int read_version(admin_session& db) {
  if (!table_exists(db, "tcversion")) return 0;
  const auto rows = db.query("select version from tcversion");
  if (rows.size() != 1 || !rows.front().front()) {
    throw upgrade_error(0, "",
                        "table tcversion has " + std::to_string(rows.size()) +
                            " rows; it must have exactly one non-null version");
  }
  return std::stoi(*rows.front().front());
}

int read_known_version(admin_session& db, const schema& s) {
  const int v = read_version(db);
  if (v > s.latest_version()) {
    throw upgrade_error(
        v, "",
        "the database is at version " + std::to_string(v) +
            ", newer than this schema's latest version " + std::to_string(s.latest_version()) +
            " (use the schema of a release that knows version " + std::to_string(v) + ")");
  }
  return v;
}

void ensure_bookkeeping(admin_session& db) {
  if (!table_exists(db, "tcversion")) {
    db.exec(
        "create table tcversion (version integer primary key); "
        "insert into tcversion (version) values (0)");
  }
  if (!table_exists(db, "tcversion_history")) {
    db.exec(
        "create table tcversion_history (version integer primary key, checksum text not null, "
        "applied_at timestamptz not null default now())");
  }
  if (!table_exists(db, "tcversion_online")) {
    db.exec(
        "create table tcversion_online (operation text primary key, state jsonb not null, "
        "items bigint not null, updated_at timestamptz not null default now())");
  }
}

void lock_version_row(admin_session& db, int expected, int step_version) {
  const auto rows = db.query("select version from tcversion for update");
  const std::string expected_text = std::to_string(expected);
  if (rows.size() != 1 || rows.front().front() != expected_text) {
    const std::string found = rows.size() == 1 ? rows.front().front().value_or("null")
                                               : std::to_string(rows.size()) + " rows";
    throw upgrade_error(step_version, "",
                        "expected the database at version " + expected_text + " but found " +
                            found + ": multiple upgrades or downgrades running at once");
  }
}

void set_version(admin_session& db, int version) {
  db.query("update tcversion set version = $1", {std::to_string(version)});
}

std::string checksum_text(const version& v) {
  boost::json::object doc;
  doc["version"] = v.number;
  doc["migrationScript"] =
      v.migration_script ? boost::json::value(*v.migration_script) : boost::json::value();
  doc["downgradeScript"] =
      v.downgrade_script ? boost::json::value(*v.downgrade_script) : boost::json::value();
  std::vector<const method*> methods;
  for (const auto& m : v.methods) methods.push_back(&m);
  std::sort(methods.begin(), methods.end(),
            [](const method* a, const method* b) { return a->name < b->name; });
  boost::json::array list;
  for (const method* m : methods) {
    boost::json::object entry;
    entry["name"] = m->name;
    entry["stub"] = m->stub;
    if (!m->stub) {
      entry["args"] = m->args;
      entry["returns"] = m->returns;
      entry["body"] = m->body;
    }
    list.push_back(std::move(entry));
  }
  doc["methods"] = std::move(list);
  return boost::json::serialize(doc);
}

void record_applied(admin_session& db, const version& v) {
  db.query(
      "insert into tcversion_history (version, checksum) "
      "values ($1, encode(sha256(convert_to($2, 'UTF8')), 'hex')) "
      "on conflict (version) do update set checksum = excluded.checksum, applied_at = now()",
      {std::to_string(v.number), checksum_text(v)});
}

void forget_applied(admin_session& db, int version) {
  db.query("delete from tcversion_history where version = $1", {std::to_string(version)});
}

history_comparison compare_history(admin_session& db, const schema& s, int applied) {
  history_comparison result;
  const bool has_history = table_exists(db, "tcversion_history");
  boost::json::array docs;
  for (int n = 1; n <= applied; ++n) {
    if (!has_history) {
      result.unrecorded.push_back(n);
      continue;
    }
    docs.push_back(boost::json::object{{"version", n}, {"doc", checksum_text(*s.find_version(n))}});
  }
  if (docs.empty()) return result;
  const auto rows = db.query(
      "select x.version, h.checksum is null, "
      "  h.checksum is distinct from encode(sha256(convert_to(x.doc, 'UTF8')), 'hex') "
      "from jsonb_to_recordset($1::jsonb) as x(version integer, doc text) "
      "left join tcversion_history h on h.version = x.version order by x.version",
      {boost::json::serialize(docs)});
  for (const auto& row : rows) {
    const int n = std::stoi(*row[0]);
    if (row[1] == "t") {
      result.unrecorded.push_back(n);
    } else if (row[2] == "t") {
      result.edited.push_back(n);
    }
  }
  return result;
}

std::optional<std::string> load_online_state(admin_session& db, const std::string& operation) {
  if (!table_exists(db, "tcversion_online")) return std::nullopt;
  return db.scalar("select state::text from tcversion_online where operation = $1", {operation});
}

void save_online_state(admin_session& db, const std::string& operation, const std::string& state,
                       long long items) {
  db.query(
      "insert into tcversion_online (operation, state, items) values ($1, $2::jsonb, $3) "
      "on conflict (operation) do update "
      "set state = excluded.state, items = excluded.items, updated_at = now()",
      {operation, state, std::to_string(items)});
}

void forget_online_state(admin_session& db, const std::string& operation) {
  if (!table_exists(db, "tcversion_online")) return;
  db.query("delete from tcversion_online where operation = $1", {operation});
}

}  // namespace pgfns::detail
