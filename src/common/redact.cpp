#include <pgfns/redact.hpp>

#include "common/url_redact.hpp"

namespace pgfns {

std::string redact_connection_string(std::string_view conninfo) {
  return detail::redact_connection_string(conninfo);
}

std::string redact_message(std::string_view text, std::string_view conninfo) {
  return detail::redact_message(text, conninfo);
}

}  // namespace pgfns
