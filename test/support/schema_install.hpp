// Installs a schema into a database the simple way, for tests: per version, in one transaction,
// the migration script and the version's methods, and the version number in tcversion.
// (`pgfns upgrade` is the real thing; this is only what tests need to get a database.)
#pragma once

#include <pgfns/schema.hpp>

#include <string>
#include <string_view>

namespace pgfns::test {

// Brings the database at `url` from its current version up to `up_to` (0: the schema's latest).
// `$db_user_prefix$` in scripts becomes `prefix`. Throws std::runtime_error naming the version
// and the server's message on failure.
void install_schema(const std::string& url, const pgfns::schema& s,
                    std::string_view prefix = "test", int up_to = 0);

}  // namespace pgfns::test
