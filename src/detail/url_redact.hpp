// Removes passwords from libpq connection strings before they appear in any message.
#pragma once

#include <string>
#include <string_view>

namespace pgfns::detail {

// Works on both forms libpq accepts: URLs (`postgresql://user:secret@host/db?password=x`)
// become `postgresql://user@host/db`, keyword strings (`host=h password=x`) lose the
// `password` pair. Everything else is kept so the message still says where it connected.
std::string redact_connection_string(std::string_view conninfo);

}  // namespace pgfns::detail
