// Passwords out of connection strings and messages, before they reach a log or a terminal.
// pgfns applies these to every error it reports; they are public for services that log their
// own configuration or errors.
#pragma once

#include <string>
#include <string_view>

namespace pgfns {

// `conninfo` (a URL or a keyword string, as libpq accepts) without its password:
// `postgresql://user:secret@host/db?password=x` becomes `postgresql://user@host/db`.
// Everything else is kept, so the result still says where it connects.
std::string redact_connection_string(std::string_view conninfo);

// `text` with every copy of `conninfo` replaced by its redacted form and every piece of its
// password (as written or as libpq decodes it) replaced by `***`. For messages that may quote a
// connection string, such as libpq's own errors. `text` unchanged when `conninfo` holds no
// password.
std::string redact_message(std::string_view text, std::string_view conninfo);

}  // namespace pgfns
