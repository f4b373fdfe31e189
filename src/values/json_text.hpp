// JSON values as PostgreSQL's json and jsonb text, both ways, within pgfns::max_json_depth: the
// serialiser and parser of Boost.JSON recurse once per level of nesting.
#pragma once

#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace pgfns::detail {

// Appends `v` serialised (no depth check: see deeper_than).
void append_json(std::string& out, const boost::json::value& v);

// Whether `v` nests arrays and objects more than `limit` deep. Recurses at most limit + 1
// levels: the serialiser, which recurses once per level, only ever sees what passed.
bool deeper_than(const boost::json::value& v, std::size_t limit) noexcept;

// Whether every number in `v` is finite (Boost.JSON reads a number beyond a double's range, as
// jsonb prints 1e400, as an infinity, which JSON cannot hold).
bool all_finite(const boost::json::value& v) noexcept;

// Options for a parser that refuses values nested deeper than max_json_depth.
boost::json::parse_options depth_limited_options();

// Parses `text` with `parser` (made with depth_limited_options) into a value allocated from `sp`.
// Throws std::invalid_argument for text nested too deep, not valid JSON, or holding a number
// beyond a double's range; `suffix` ends each message (say, the text quoted).
boost::json::value parse_json_text(boost::json::parser& parser, std::string_view text,
                                   boost::json::storage_ptr sp, std::string_view suffix = {});

}  // namespace pgfns::detail
