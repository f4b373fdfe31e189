#include "upgrade_test.hpp"

#include <unistd.h>
#include <atomic>
#include <stdexcept>

namespace pgfns::test {
namespace {

// Digits as letters, so the result stays within ^[a-z_]+$.
std::string letters(unsigned long long n) {
  std::string out;
  do {
    out.insert(out.begin(), static_cast<char>('a' + n % 10));
    n /= 10;
  } while (n);
  return out;
}

}  // namespace

service_roles::service_roles(std::string_view label) {
  static std::atomic<unsigned> counter{0};
  prefix_ = std::string(label) + "_" + letters(static_cast<unsigned long long>(::getpid())) + "_" +
            letters(counter++);
}

service_roles::~service_roles() {
  try {
    const auto& url = server().primary;
    for (const auto& row : query(
             url, "select rolname from pg_roles where starts_with(rolname, '" + prefix_ + "_')")) {
      query(url, "drop role if exists \"" + row.front().value_or("") + "\"");
    }
  } catch (...) {
    // Best effort: a throwaway cluster disappears with its roles anyway.
  }
}

upgrade_options options_for(const scratch_database& db, const std::string& prefix,
                            std::vector<progress_event>* events) {
  upgrade_options o;
  o.admin_url = db.write_url();
  o.prefix = prefix;
  o.create_users = true;
  if (events) o.progress = [events](const progress_event& e) { events->push_back(e); };
  return o;
}

long long count_of(const scratch_database& db, const std::string& sql) {
  return std::stoll(query_value(db.write_url(), sql));
}

}  // namespace pgfns::test
