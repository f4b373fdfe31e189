// Values: how PostgreSQL values become Boost.JSON values (rows of results) and how Boost.JSON
// values become PostgreSQL parameters (arguments of calls). pgfns exchanges every value with
// the server in PostgreSQL's text format; these two functions are the whole conversion.
//
// Results (decode_text), by the column's type:
//   smallint, integer, bigint, oid   -> int64
//   real, double precision           -> double (exact under the default
//                                       extra_float_digits = 1); NaN, Infinity, -Infinity
//                                       (which JSON cannot hold as numbers) -> the strings
//                                       "NaN", "Infinity", "-Infinity"
//   numeric                          -> string holding the exact decimal text ("12.50",
//                                       "NaN"): no precision is lost
//   boolean                          -> bool
//   text, varchar, char(n), name, "char", uuid, and any type pgfns does not know (citext,
//   enums, inet, money, ...)         -> string, as PostgreSQL prints it
//   json, jsonb                      -> the parsed JSON value (numbers as Boost.JSON parses
//                                       them: int64, uint64 or double, so digits beyond a
//                                       double's precision are lost inside JSON; a JSON null
//                                       is null like SQL NULL); text nested deeper than
//                                       max_json_depth, not valid JSON, or holding a number
//                                       beyond a double's range (1e400) is refused
//                                       (std::invalid_argument), never turned into a string
//   date                             -> "YYYY-MM-DD"
//   timestamp                        -> "YYYY-MM-DDTHH:MM:SS[.ffffff]"
//   timestamptz                      -> "YYYY-MM-DDTHH:MM:SS[.ffffff]+HH:MM" (the server's
//                                       offset, "+00:00" under TimeZone=UTC, which pgfns
//                                       connections use; historic offsets with seconds are
//                                       kept as printed, "+00:19:32")
//   infinity, -infinity, BC dates and timestamps, and any DateStyle other than ISO -> the
//                                       string as PostgreSQL prints it
//   time, timetz, interval           -> string as PostgreSQL prints it ("04:05:06.5+02")
//   bytea                            -> string in PostgreSQL's hex form, "\x0a0b" (a valid
//                                       bytea parameter again)
//   arrays of smallint, integer, bigint, oid, real, double precision, numeric, boolean,
//   text, varchar, char(n), name, "char", uuid, json, jsonb, date, time, timetz, timestamp,
//   timestamptz, interval, bytea, inet, cidr, macaddr, money, bit, varbit, xml, record
//                                    -> JSON arrays, elements decoded by the element type,
//                                       NULL elements as null, multi-dimensional arrays as
//                                       nested arrays (lower bounds other than 1 are
//                                       dropped), {} as []
//   arrays of other types (enum[], citext[], ...) -> string, as PostgreSQL prints it
//   records, composites, ranges      -> string as PostgreSQL prints it
//   NULL                             -> null
//
// Parameters (encode_param), by the JSON value's kind:
//   null      -> SQL NULL (for json and jsonb parameters too)
//   bool      -> "true" / "false"
//   int64, uint64 -> decimal text
//   double    -> the shortest text that reads back as the same double ("0.1", "1e+308",
//                "-0"); NaN and infinities -> "NaN", "Infinity", "-Infinity"
//   string    -> the string itself (so "\x0a0b" is a bytea, "{1,2}" an array literal, and
//                "2024-01-02T03:04:05Z" a timestamp); strings holding a NUL byte, which
//                PostgreSQL text cannot hold, are refused
//   array for a parameter of an array type -> an array literal: every string element quoted
//                and escaped, null -> NULL, nested JSON arrays -> further dimensions (more
//                than PostgreSQL's 6 are refused), objects -> their JSON text (for json[]
//                and jsonb[])
//   any value for a json or jsonb parameter -> its JSON text (the string "abc" -> "abc" in
//                double quotes, NaN -> invalid JSON that the server refuses)
//   any other array or object -> its JSON text (the server accepts or refuses it; for an
//                array of a type not listed above, such as enum[], pass the array literal
//                as a string: "{happy,sad}")
// A parameter's type is the one PostgreSQL inferred for the prepared statement.
#pragma once

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace pgfns {

// A PostgreSQL type OID (the same type as libpq's `Oid`).
using oid_t = unsigned int;

// The deepest nesting of JSON arrays and objects pgfns reads from a json or jsonb column or
// writes into a parameter (`[[1]]` is 2 deep). PostgreSQL 15 accepts deeper jsonb (about
// 14,500 levels of arrays or 13,000 of objects under its default max_stack_depth of 2MB), but
// Boost.JSON's parser, serialiser, copy, comparison and destructor recurse once per level, as
// does code that walks a value: objects nested 4,000 deep overflow an 8MB stack when Boost.JSON
// is built with AddressSanitizer, and a thread's stack may be smaller than 8MB. Deeper values
// are refused with an error, never truncated or turned into strings.
inline constexpr std::size_t max_json_depth = 1000;

// Decodes one non-NULL field of type `type` printed in PostgreSQL's text format into JSON,
// allocating from `sp`. What it cannot interpret stays a string, except for json and jsonb
// (columns, and elements of json[] and jsonb[]): text that is not valid JSON, nests deeper than
// max_json_depth or holds a number beyond a double's range throws std::invalid_argument saying
// which. Otherwise throws only what allocation throws.
boost::json::value decode_text(oid_t type, std::string_view text, boost::json::storage_ptr sp = {});

// Encodes `v` as the text-format parameter for a parameter of type `type` (0 when unknown) by
// appending it to `out` (no terminating NUL; nothing else in `out` is touched). Returns false,
// appending nothing, when `v` is null: the parameter is SQL NULL. Throws std::invalid_argument
// when a string holds a NUL byte, an array for an array type has more than 6 dimensions, or an
// array or object nests deeper than max_json_depth (out is then unspecified).
bool encode_param(const boost::json::value& v, oid_t type, std::string& out);

}  // namespace pgfns
