#include "injection_corpus.hpp"

#include <string_view>

namespace pgfns::test {

namespace {

using namespace std::string_view_literals;

std::vector<injection_string> build() {
  std::vector<injection_string> c;
  const auto add = [&](std::string_view s) { c.push_back({std::string(s), true}); };
  // Quotes and statement separators.
  for (auto s : {"'",
                 "''",
                 "\"",
                 "\"\"",
                 "`",
                 ";",
                 "x'); drop table items; --",
                 "'; drop table canary; --",
                 "'); delete from canary; select ('",
                 "\"; drop table canary; --",
                 "1; drop table canary",
                 "1); drop table canary; --",
                 "' or '1'='1",
                 "' or 1=1 --",
                 "\" or \"\"=\"",
                 "')) or true; --",
                 "'||(select pg_sleep(5))||'",
                 "'; select pg_terminate_backend(pg_backend_pid()); --",
                 "'; copy canary to program 'touch /tmp/pgfns-injected'; --",
                 "\n; drop table canary;\n",
                 "\r\n'; update canary set note = 'pwned'; --\r\n"})
    add(s);
  // Placeholders, dollar quotes and tags.
  for (auto s : {"$1", "$1); drop table canary; --", "$$", "$$; drop table canary; $$", "$tag$",
                 "$tag$; drop table canary; $tag$", "$_$'$_$", "$a$$b$", "%s", "%I", "%L", "?",
                 ":name", ":'name'"})
    add(s);
  // Backslashes and escape-string syntax.
  for (auto s : {"\\", "\\\\", "\\'", "\\'; truncate canary; --", "E'\\x27; drop table canary'",
                 "\\x27", "\\u0027", "U&'\\0027'", "U&\"\\0064rop\""})
    add(s);
  // Comments.
  for (auto s : {"--", "-- drop table canary", "/*", "*/", "/* drop table canary */",
                 "/* /* nested */", "x/*", "x--"})
    add(s);
  // Identifier-like texts: quoted, qualified, cased, padded, called.
  for (auto s : {"\"get_item\"",
                 "public.get_item",
                 "pg_catalog.pg_sleep",
                 "pg_sleep(10)",
                 "GET_ITEM",
                 "Get_Item",
                 " get_item",
                 "get_item ",
                 "get_item;",
                 "get_item()",
                 "get_item\"(1); drop table canary; --",
                 "get_item(1) union select * from canary",
                 "items",
                 "canary",
                 "name_in => 'y'); drop table items; --",
                 "a_in => 1",
                 "x_in\"",
                 "x_in; drop table canary",
                 "x_in--",
                 "x_in/*",
                 "X_IN",
                 "x-y_in",
                 "x y_in",
                 "x_in\n",
                 "(",
                 ")",
                 "=>",
                 ",",
                 "*"})
    add(s);
  // Unicode look-alikes of quotes, semicolons and spaces, and invisible characters.
  for (auto s : {"\u2019; drop table canary; --", "\u2018\u2019", "\u02bc", "\uff07",
                 "\u201c\u201d", "\uff02", "\u037e drop table canary", "\uff1b", "\u00a0", "\u200b",
                 "\u2028", "\ufeff", "\u00e9_in", "get_\u0456tem", "\U0001F600"})
    add(s);
  // Long texts.
  add(std::string(10000, '\''));
  add(std::string(5000, '\\') + "'; drop table canary; --");
  // Texts PostgreSQL cannot store: NUL bytes and invalid UTF-8 (an overlong encoding of a
  // quote, a lone continuation byte, a truncated sequence, an encoded surrogate).
  for (auto s : {"\0"sv, "a\0b"sv, "x'\0; drop table canary; --"sv, "get_item\0"sv, "\xc0\xa7"sv,
                 "\x80"sv, "\xe2\x80"sv, "\xed\xa0\x80"sv, "\xff'; drop table canary"sv})
    c.push_back({std::string(s), false});
  return c;
}

}  // namespace

const std::vector<injection_string>& injection_corpus() {
  static const std::vector<injection_string> corpus = build();
  return corpus;
}

}  // namespace pgfns::test
