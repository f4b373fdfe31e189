// Rows of a libpq result as JSON objects: the bridge from PGresult to what `call` returns.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/storage_ptr.hpp>

#include <libpq-fe.h>

namespace pgfns::detail {

// Every row of `res` (a PGRES_TUPLES_OK or PGRES_SINGLE_TUPLE result in text format) as a JSON
// object mapping column name to value (see pgfns/value.hpp for the mapping), in row order and,
// within a row, in column order. When two columns share a name the later one's value wins.
// Column types are classified once per result, not per field. Allocates from `sp` only for
// the values themselves. Throws std::invalid_argument for a column in binary format, and for a
// field decode_text refuses (json or jsonb too deep or not JSON), naming its column and row.
boost::json::array rows_from_result(const PGresult* res, boost::json::storage_ptr sp = {});

// Replaces `rows` with rows_from_result(res) built in a storage of their own: one monotonic
// arena sized from the result, shared by every value of every row and released as a whole
// with the array (so a call's rows cost one or two allocations, and freeing them walks
// nothing). The new array is move-constructed in place: json::array's move assignment would
// copy it into the old array's storage. Throws what rows_from_result throws; `rows` is then
// unchanged.
void assign_rows_in_own_storage(boost::json::array& rows, const PGresult* res);

}  // namespace pgfns::detail
