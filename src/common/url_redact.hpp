// Removes passwords from libpq connection strings, and from messages about them, before they
// appear anywhere a person or a log can read.
//
// The rule: no piece of three bytes or more of a password (as written, or as libpq decodes it)
// appears in a redacted text. Where a string does not say for sure where its password ends (an
// unencoded `@`, `/` or `&` in it, a keyword string libpq cannot parse), every reading counts:
// more is removed, never less.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

// Works on both forms libpq accepts: URLs (`postgresql://user:secret@host/db?password=x`)
// become `postgresql://user@host/db`, keyword strings (`host=h password=x`) lose the
// `password` pair. Everything else is kept so the message still says where it connected, except
// what may belong to a password: a URL's user info ends at its last `@` (a person who left an
// `@` or `/` unencoded in a password meant that one), a `password` query parameter takes the
// rest of the query, and in a keyword string that libpq cannot parse, `password` takes the rest
// of the string.
std::string redact_connection_string(std::string_view conninfo);

// Every text in `conninfo` that is, or may be, (part of) its password, under every reading (as
// written and as libpq decodes it). Empty when `conninfo` holds no password.
std::vector<std::string> password_texts(std::string_view conninfo);

// `text` with each run of bytes covered by three-byte pieces of `secrets` replaced by `***`,
// unless `shown` (the redacted connection string) holds the whole run: a database or user name
// that shares a piece with the password is printed whatever the password, and says nothing of
// it. Other coincidences are masked too: a password's piece says as much wherever it appears.
std::string mask_pieces(std::string_view text, const std::vector<std::string>& secrets,
                        std::string_view shown);

// `text` (say, libpq's error about `conninfo`, which may quote the whole URL or a token of it)
// with every copy of `conninfo` replaced by its redacted form, then every piece of three bytes
// or more of its password texts masked (as mask_pieces() does). Returns `text` unchanged when
// `conninfo` holds no password.
std::string redact_message(std::string_view text, std::string_view conninfo);

// Whether libpq may take a different password from `conninfo` than a person reading it: a URL
// whose user info may hold an unencoded `@` or `/` (an `@` after the first `@` or `/`), so that
// libpq may read part of a password as the host, port or database (and would send it to a DNS
// server, or print it as "the server"). Also true for an `@` in a query value after a port:
// percent-encoded (%40), such a URL reads the same to everyone.
bool password_misread(std::string_view conninfo);

// What to tell a person whose URL password_misread() refuses.
inline constexpr std::string_view misread_advice =
    "its '@' and '/' leave unclear where its password ends (libpq would read part of it as the "
    "host, port or database); percent-encode '@' as %40 and '/' as %2F in a password";

}  // namespace pgfns::detail
