#include "common/url_redact.hpp"

#include "common/pq_handle.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace pgfns::detail {
namespace {

constexpr auto npos = std::string_view::npos;
// Shorter fragments say nothing useful about a password, and masking them would garble the
// message around them.
constexpr std::size_t min_masked = 3;

bool is_url(std::string_view s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `%XX` decoded as libpq decodes URLs; a malformed `%` is kept as written.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// --- URLs: postgresql://[user[:password]@][hosts][/dbname][?key=value&...] ------------------

// The position of the `@` that ends a URL's credentials, or npos. libpq takes the first `@`
// before any `/`; someone who left an `@`, `?` or `/` unencoded in a password means the last
// `@` before the path. Both readings are covered: the last `@` before the first `/`, else
// (`user:pa/ss@host/db`) the last `@` before the query when a `:` comes before that `/`.
std::size_t credentials_end(std::string_view url, std::size_t begin) {
  const auto slash = url.find('/', begin);
  const auto head = url.substr(begin, slash == npos ? npos : slash - begin);
  if (const auto at = head.rfind('@'); at != npos) return begin + at;
  if (slash == npos || head.find(':') == npos) return npos;
  const auto query = url.find('?', slash);
  const auto at = url.substr(slash, query == npos ? npos : query - slash).rfind('@');
  return at == npos ? npos : slash + at;
}

struct url_parts {
  std::string_view prefix;                   // "postgresql://"
  std::string_view user;                     // empty without credentials
  std::optional<std::string_view> password;  // as written, between the `:` and the `@`
  std::string_view rest;                     // "@hosts/db?query", or "hosts/db?query"
};

url_parts split_url(std::string_view url) {
  url_parts p;
  const auto begin = url.find("://") + 3;
  p.prefix = url.substr(0, begin);
  const auto end = credentials_end(url, begin);
  if (end == npos) {
    p.rest = url.substr(begin);
    return p;
  }
  const auto credentials = url.substr(begin, end - begin);
  const auto colon = credentials.find(':');
  p.user = credentials.substr(0, colon);
  if (colon != npos) p.password = credentials.substr(colon + 1);
  p.rest = url.substr(end);
  return p;
}

// libpq decodes query keys too: `pass%77ord=x` sets the password.
std::optional<std::string_view> password_param_value(std::string_view param) {
  const auto eq = param.find('=');
  if (eq == npos || percent_decode(param.substr(0, eq)) != "password") return std::nullopt;
  return param.substr(eq + 1);
}

// `a=1&password=x&b=2` -> `a=1&b=2`
std::string drop_password_params(std::string_view query) {
  std::string out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto param = query.substr(0, amp);
    if (!param.empty() && !password_param_value(param)) {
      if (!out.empty()) out += '&';
      out += param;
    }
    if (amp == npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::string redact_url(std::string_view url) {
  const auto parts = split_url(url);
  std::string out(parts.prefix);
  out += parts.user;
  const auto q = parts.rest.find('?');
  out += parts.rest.substr(0, q);
  if (q != npos) {
    const auto query = drop_password_params(parts.rest.substr(q + 1));
    if (!query.empty()) out += '?' + query;
  }
  return out;
}

void add_written_and_decoded(std::vector<std::string>& out, std::string_view written) {
  out.emplace_back(written);
  out.push_back(percent_decode(written));
}

void url_password_texts(std::string_view url, std::vector<std::string>& out) {
  if (const auto password = split_url(url).password; password && !password->empty()) {
    add_written_and_decoded(out, *password);
    // libpq splits an unencoded `@` or `/` off and may quote the pieces (as a host or port).
    std::string_view rest = *password;
    while (!rest.empty()) {
      const auto cut = rest.find_first_of("@/");
      add_written_and_decoded(out, rest.substr(0, cut));
      if (cut == npos) break;
      rest.remove_prefix(cut + 1);
    }
  }
  // Every `password=` parameter, wherever a `?` or `&` starts one (even where a password
  // with an unencoded `?` made the query start early).
  for (std::size_t i = url.find_first_of("?&"); i != npos; i = url.find_first_of("?&", i + 1)) {
    const auto param = url.substr(i + 1, url.find('&', i + 1) - (i + 1));
    if (const auto value = password_param_value(param)) add_written_and_decoded(out, *value);
  }
}

// --- keyword strings: key = value, values optionally single-quoted, `\` escapes -------------

struct keyword_pair {
  std::string_view key;
  bool has_value = false;    // false when no `=` follows the key (libpq refuses that)
  std::string_view written;  // the value as written, quotes included
  std::string value;         // as libpq reads it
};

// Splits as libpq's conninfo_parse does, but never fails: a malformed string still shows.
std::vector<keyword_pair> parse_keywords(std::string_view s) {
  std::vector<keyword_pair> pairs;
  std::size_t i = 0;
  const auto skip_space = [&] {
    while (i < s.size() && is_space(s[i])) ++i;
  };
  while (true) {
    skip_space();
    if (i >= s.size()) break;
    keyword_pair p;
    const auto key_begin = i;
    while (i < s.size() && s[i] != '=' && !is_space(s[i])) ++i;
    p.key = s.substr(key_begin, i - key_begin);
    skip_space();
    if (i < s.size() && s[i] == '=') {
      p.has_value = true;
      ++i;
      skip_space();
      const auto value_begin = i;
      const bool quoted = i < s.size() && s[i] == '\'';
      if (quoted) ++i;
      while (i < s.size() && (quoted ? s[i] != '\'' : !is_space(s[i]))) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        p.value += s[i++];
      }
      if (quoted && i < s.size()) ++i;  // the closing quote
      p.written = s.substr(value_begin, i - value_begin);
    }
    pairs.push_back(std::move(p));
  }
  return pairs;
}

std::string redact_keywords(std::string_view s) {
  std::string out;
  for (const auto& p : parse_keywords(s)) {
    if (p.key == "password") continue;
    if (!out.empty()) out += ' ';
    out += p.key;
    if (p.has_value) {
      out += '=';
      out += p.written;
    }
  }
  return out;
}

// The password libpq itself would use (nullopt when the string does not parse or has none).
std::optional<std::string> libpq_password(std::string_view conninfo) {
  char* raw_error = nullptr;
  const conninfo_options_handle options(PQconninfoParse(std::string(conninfo).c_str(), &raw_error));
  const pq_string_handle error(raw_error);
  if (!options) return std::nullopt;
  for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val && *o->val) return o->val;
  }
  return std::nullopt;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

std::string redact_connection_string(std::string_view conninfo) {
  return is_url(conninfo) ? redact_url(conninfo) : redact_keywords(conninfo);
}

std::vector<std::string> password_texts(std::string_view conninfo) {
  std::vector<std::string> out;
  if (is_url(conninfo)) {
    url_password_texts(conninfo, out);
  } else {
    for (const auto& p : parse_keywords(conninfo)) {
      if (p.key == "password" && p.has_value) {
        out.emplace_back(p.written);
        out.push_back(p.value);
      }
    }
  }
  if (auto password = libpq_password(conninfo)) out.push_back(std::move(*password));
  std::erase_if(out, [](const std::string& t) { return t.empty(); });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string redact_message(std::string_view text, std::string_view conninfo) {
  auto secrets = password_texts(conninfo);
  std::string out(text);
  if (secrets.empty()) return out;
  const auto redacted = redact_connection_string(conninfo);
  replace_all(out, conninfo, redacted);
  // Longest first, so a piece never leaves the rest of a longer text behind. A text that the
  // redacted string shows anyway (a password equal to the user name) stays: masking it would
  // only hide where the connection went.
  std::sort(secrets.begin(), secrets.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& secret : secrets) {
    if (secret.size() >= min_masked && redacted.find(secret) == npos) {
      replace_all(out, secret, "***");
    }
  }
  return out;
}

bool reveals_password(std::string_view text, std::string_view conninfo) {
  return redact_message(text, conninfo) != text;
}

}  // namespace pgfns::detail
