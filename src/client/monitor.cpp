#include <pgfns/monitor.hpp>

namespace pgfns {

std::string_view to_string(pool_role r) noexcept {
  return r == pool_role::read ? "read" : "write";
}

}  // namespace pgfns
