// Building SQL text for schema changes: quoting, dollar quotes, the username prefix.
#pragma once

#include <string>
#include <string_view>

namespace pgfns::detail {

// "name" with embedded double quotes doubled.
std::string quote_identifier(std::string_view name);

// `$tag$text$tag$` with a tag that occurs nowhere in `text`.
std::string dollar_quote(std::string_view text);

// Replaces every `$db_user_prefix$` in a migration or downgrade script.
std::string substitute_prefix(std::string_view script, std::string_view prefix);

// `online_migration_v<N>` or `online_downgrade_v<N>`: the prefix of an online operation's
// `_batch` and `_is_complete` functions.
std::string online_operation(bool downgrade, int version);

// Collapses newlines and runs of spaces so a description fits on one line.
std::string one_line(std::string_view text);

// The 1-based line of `text` holding the 1-based character (not byte) `position`, as the
// server reports positions in UTF-8 statements; 0 when position is 0 or out of range.
int line_of_position(std::string_view text, int position);

}  // namespace pgfns::detail
