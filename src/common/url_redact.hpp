// Removes passwords from libpq connection strings, and from messages about them, before they
// appear anywhere a person or a log can read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

// Works on both forms libpq accepts: URLs (`postgresql://user:secret@host/db?password=x`)
// become `postgresql://user@host/db`, keyword strings (`host=h password=x`) lose the
// `password` pair. Everything else is kept so the message still says where it connected.
// Passwords that libpq would read differently from a person (an unencoded `?`, `@` or `/` in
// a URL's password, a percent-encoded `password` parameter, a backslash escape) are removed
// too.
std::string redact_connection_string(std::string_view conninfo);

// Every text in `conninfo` that is, or may be, (part of) its password: each password as
// written and as libpq decodes it, and the pieces of a URL password that libpq would split at
// an unencoded `@` or `/`. Empty when `conninfo` holds no password.
std::vector<std::string> password_texts(std::string_view conninfo);

// `text` (say, libpq's error about `conninfo`, which may quote the whole URL or a token of it)
// with every copy of `conninfo` replaced by its redacted form and every password text of three
// characters or more replaced by `***`. Returns `text` unchanged when `conninfo` holds no
// password.
std::string redact_message(std::string_view text, std::string_view conninfo);

// Whether redact_message() would change `text`: it quotes `conninfo` or shows (part of) its
// password. E.g. a host name libpq took from a password with an unencoded `@`.
bool reveals_password(std::string_view text, std::string_view conninfo);

}  // namespace pgfns::detail
