// The grant and table checks of access_check.hpp, over an already open admin session (so an
// upgrade can run them on its own connection).
#pragma once

#include "admin/admin_session.hpp"

#include <pgfns/schema.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

std::vector<std::string> check_grants(admin_session& db, const schema& s, std::string_view prefix);
std::vector<std::string> check_tables(admin_session& db, const schema& s);

// The JSON array text of `items`, for `jsonb_array_elements_text($n::jsonb)` parameters.
std::string json_array_text(const std::vector<std::string>& items);

}  // namespace pgfns::detail
