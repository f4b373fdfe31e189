// SQLSTATEs as error codes: the encoding of the five characters and the class names.
#include <pgfns/error.hpp>

#include <array>
#include <utility>

namespace pgfns {
namespace {

// Class names as PostgreSQL's documentation lists them (Appendix A).
constexpr std::array<std::pair<std::string_view, std::string_view>, 43> class_names{{
    {"00", "successful completion"},
    {"01", "warning"},
    {"02", "no data"},
    {"03", "SQL statement not yet complete"},
    {"08", "connection exception"},
    {"09", "triggered action exception"},
    {"0A", "feature not supported"},
    {"0B", "invalid transaction initiation"},
    {"0F", "locator exception"},
    {"0L", "invalid grantor"},
    {"0P", "invalid role specification"},
    {"0Z", "diagnostics exception"},
    {"20", "case not found"},
    {"21", "cardinality violation"},
    {"22", "data exception"},
    {"23", "integrity constraint violation"},
    {"24", "invalid cursor state"},
    {"25", "invalid transaction state"},
    {"26", "invalid SQL statement name"},
    {"27", "triggered data change violation"},
    {"28", "invalid authorization specification"},
    {"2B", "dependent privilege descriptors still exist"},
    {"2D", "invalid transaction termination"},
    {"2F", "SQL routine exception"},
    {"34", "invalid cursor name"},
    {"38", "external routine exception"},
    {"39", "external routine invocation exception"},
    {"3B", "savepoint exception"},
    {"3D", "invalid catalog name"},
    {"3F", "invalid schema name"},
    {"40", "transaction rollback"},
    {"42", "syntax error or access rule violation"},
    {"44", "WITH CHECK OPTION violation"},
    {"53", "insufficient resources"},
    {"54", "program limit exceeded"},
    {"55", "object not in prerequisite state"},
    {"57", "operator intervention"},
    {"58", "system error"},
    {"72", "snapshot failure"},
    {"F0", "configuration file error"},
    {"HV", "foreign data wrapper error"},
    {"P0", "PL/pgSQL error"},
    {"XX", "internal error"},
}};

constexpr int digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

constexpr char digit_char(int v) noexcept {
  return static_cast<char>(v < 10 ? '0' + v : 'A' + (v - 10));
}

// Base 36, plus one so that no SQLSTATE (not even 00000) encodes to 0, which means success.
int encode(std::string_view s) noexcept {
  if (s.size() != 5) return -1;
  int v = 0;
  for (char c : s) {
    const int d = digit_value(c);
    if (d < 0) return -1;
    v = v * 36 + d;
  }
  return v + 1;
}

std::string decode(int ev) {
  std::string s(5, '?');
  if (ev <= 0) return s;
  int v = ev - 1;
  for (int i = 4; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = digit_char(v % 36);
    v /= 36;
  }
  return s;
}

class sqlstate_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "pgfns.sqlstate"; }
  std::string message(int ev) const override {
    const std::string state = decode(ev);
    std::string m = "SQLSTATE " + state;
    if (auto cls = sqlstate_class_name(state); !cls.empty()) {
      m += " (";
      m += cls;
      m += ')';
    }
    return m;
  }
};

}  // namespace

const boost::system::error_category& sqlstate_category() noexcept {
  static const sqlstate_category_impl instance;
  return instance;
}

boost::system::error_code make_sqlstate_error(std::string_view sqlstate) noexcept {
  int v = encode(sqlstate);
  if (v < 0) v = encode("XX000");
  return {v, sqlstate_category()};
}

std::string sqlstate_of(const boost::system::error_code& ec) {
  if (ec.category() != sqlstate_category()) return {};
  return decode(ec.value());
}

std::string_view sqlstate_class_name(std::string_view sqlstate) noexcept {
  if (sqlstate.size() < 2) return {};
  const std::string_view cls = sqlstate.substr(0, 2);
  for (const auto& [code, name] : class_names)
    if (code == cls) return name;
  return {};
}

}  // namespace pgfns
