// Must not compile: a callback that does not take (error_code, pgfns::result) is no completion
// token, and no value either.
#include <pgfns/database.hpp>

void refused_call(pgfns::database& db) {
  (void)db.call("get_item", 1, [](int) {});  // (void): the returned awaitable is [[nodiscard]]
}
