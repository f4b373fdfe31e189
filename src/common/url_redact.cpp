#include "common/url_redact.hpp"

#include "common/pq_handle.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>

namespace pgfns::detail {
namespace {

constexpr auto npos = std::string_view::npos;
// Shorter pieces say nothing useful about a password, and masking them would garble every
// message.
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

void add_written_and_decoded(std::vector<std::string>& out, std::string_view written) {
  out.emplace_back(written);
  out.push_back(percent_decode(written));
}

// --- URLs: postgresql://[user[:password]@][hosts][/dbname][?key=value&...] ------------------

bool libpq_parses(std::string_view conninfo) {
  char* raw_error = nullptr;
  const conninfo_options_handle options(PQconninfoParse(std::string(conninfo).c_str(), &raw_error));
  const pq_string_handle error(raw_error);
  return options != nullptr;
}

// libpq decodes query keys too: `pass%77ord=x` sets the password.
bool is_password_param(std::string_view param) {
  const auto eq = param.find('=');
  return eq != npos && percent_decode(param.substr(0, eq)) == "password";
}

// Where the parts of a URL are, under every reading a person or libpq may give it. libpq ends
// the user info at the first `@` before any `/`; a person who left an `@`, `/` or `?` unencoded
// in a password means a later `@`, possibly the last one. A `password` parameter may hold an
// unencoded `&`: unless libpq parses the URL (then each parameter after it is one libpq knows),
// it runs to the end. So the password spans from the user info's first `:` to its last `@`, and
// each `password` parameter's value (or all from the first one on).
struct url_parts {
  std::size_t begin = 0;        // after "://"
  std::size_t user_end = npos;  // the user info's first `:`, when a password follows it
  std::size_t at = npos;        // the `@` ending the user info (the last one), or npos
  bool misread = false;         // libpq ends the user info at another `@`, or at none
  std::size_t param = npos;     // the `?` or `&` before the first `password` parameter
  bool clear_params = false;    // libpq parses the URL as a person reads it
};

url_parts split_url(std::string_view url) {
  url_parts p;
  p.begin = url.find("://") + 3;
  const auto stop = url.find_first_of("@/", p.begin);
  const auto libpq_at = stop != npos && url[stop] == '@' ? stop : npos;
  if (const auto at = url.rfind('@'); at != npos && at >= p.begin) {
    p.at = at;
    if (const auto colon = url.find(':', p.begin); colon < at) {
      p.user_end = colon;
      p.misread = at != libpq_at;
    }
  }
  p.clear_params = !p.misread && libpq_parses(url);
  for (auto i = url.find_first_of("?&", p.begin); i != npos; i = url.find_first_of("?&", i + 1)) {
    const auto next = url.find('&', i + 1);
    if (is_password_param(url.substr(i + 1, next == npos ? npos : next - (i + 1)))) {
      p.param = i;
      break;
    }
  }
  return p;
}

// `a=1&password=x&b=2` -> `a=1&b=2`
std::string drop_password_params(std::string_view query) {
  std::string out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto param = query.substr(0, amp);
    if (!param.empty() && !is_password_param(param)) {
      if (!out.empty()) out += '&';
      out += param;
    }
    if (amp == npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::string redact_url(std::string_view url) {
  const auto p = split_url(url);
  if (!p.clear_params) {
    // A password parameter may hold an unencoded `&`: it takes the rest of the URL.
    if (p.user_end == npos) return std::string(url.substr(0, p.param));
    std::string out(url.substr(0, std::min(p.user_end, p.param)));
    if (p.param > p.at) out += url.substr(p.at, p.param - p.at);
    return out;
  }
  const auto after = p.user_end == npos ? p.begin : p.at;
  const auto q = url.find('?', after);
  std::string out(url.substr(0, std::min(p.user_end, after)));
  out += url.substr(after, q == npos ? npos : q - after);
  if (q != npos) {
    const auto query = drop_password_params(url.substr(q + 1));
    if (!query.empty()) out += '?' + query;
  }
  return out;
}

void url_password_texts(std::string_view url, std::vector<std::string>& out) {
  const auto p = split_url(url);
  if (p.user_end != npos)
    add_written_and_decoded(out, url.substr(p.user_end + 1, p.at - p.user_end - 1));
  if (p.param == npos) return;
  if (!p.clear_params) {
    add_written_and_decoded(out, url.substr(url.find('=', p.param) + 1));
    return;
  }
  for (auto i = p.param; i != npos; i = url.find_first_of("?&", i + 1)) {
    const auto next = url.find('&', i + 1);
    const auto param = url.substr(i + 1, next == npos ? npos : next - (i + 1));
    if (is_password_param(param)) add_written_and_decoded(out, param.substr(param.find('=') + 1));
  }
}

// --- keyword strings: key = value, values optionally single-quoted, `\` escapes -------------

struct keyword_pair {
  std::string_view key;
  bool has_value = false;    // false when no `=` follows the key (libpq refuses that)
  std::size_t value_at = 0;  // where the value starts in the string
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
      p.value_at = i;
      const bool quoted = i < s.size() && s[i] == '\'';
      if (quoted) ++i;
      while (i < s.size() && (quoted ? s[i] != '\'' : !is_space(s[i]))) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        p.value += s[i++];
      }
      if (quoted && i < s.size()) ++i;  // the closing quote
      p.written = s.substr(p.value_at, i - p.value_at);
    }
    pairs.push_back(std::move(p));
  }
  return pairs;
}

// Where a person's password may end in a keyword string: at its value's end when libpq parses
// the string, else (an unquoted space, a missing quote) anywhere up to the end.
const keyword_pair* open_password(std::string_view s, const std::vector<keyword_pair>& pairs) {
  const auto it = std::find_if(pairs.begin(), pairs.end(),
                               [](const auto& p) { return p.key == "password" && p.has_value; });
  if (it == pairs.end() || libpq_parses(s)) return nullptr;
  return &*it;
}

std::string redact_keywords(std::string_view s) {
  const auto pairs = parse_keywords(s);
  const keyword_pair* open = open_password(s, pairs);
  std::string out;
  for (const auto& p : pairs) {
    if (&p == open) break;
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

void keyword_password_texts(std::string_view s, std::vector<std::string>& out) {
  const auto pairs = parse_keywords(s);
  for (const auto& p : pairs) {
    if (p.key == "password" && p.has_value) {
      // With the white space around it: a person's password may begin or end with a space that
      // libpq takes for a separator.
      auto first = p.value_at;
      auto last = p.value_at + p.written.size();
      while (first > 0 && is_space(s[first - 1])) --first;
      while (last < s.size() && is_space(s[last])) ++last;
      out.emplace_back(s.substr(first, last - first));
      out.push_back(p.value);
    }
  }
  if (const keyword_pair* open = open_password(s, pairs)) {
    const auto tail = s.substr(open->value_at);
    out.emplace_back(tail);
    std::string unescaped;  // as libpq would read it, backslashes gone
    for (std::size_t i = 0; i < tail.size(); ++i) {
      if (tail[i] == '\\' && i + 1 < tail.size()) ++i;
      unescaped += tail[i];
    }
    out.push_back(std::move(unescaped));
  }
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
  if (from.empty()) return;
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
    keyword_password_texts(conninfo, out);
  }
  if (auto password = libpq_password(conninfo)) out.push_back(std::move(*password));
  std::erase_if(out, [](const std::string& t) { return t.empty(); });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string mask_pieces(std::string_view text, const std::vector<std::string>& secrets,
                        std::string_view shown) {
  static_assert(min_masked == 3, "pieces are keyed as three bytes");
  const auto key = [](std::string_view s, std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + 1])) << 8 |
           static_cast<unsigned char>(s[i + 2]);
  };
  std::vector<std::uint32_t> pieces;
  for (const auto& secret : secrets) {
    for (std::size_t i = 0; i + min_masked <= secret.size(); ++i) pieces.push_back(key(secret, i));
  }
  std::sort(pieces.begin(), pieces.end());
  std::vector<bool> covered(text.size(), false);
  for (std::size_t i = 0; i + min_masked <= text.size(); ++i) {
    if (std::binary_search(pieces.begin(), pieces.end(), key(text, i))) {
      std::fill_n(covered.begin() + static_cast<std::ptrdiff_t>(i), min_masked, true);
    }
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (!covered[i]) {
      out += text[i++];
      continue;
    }
    auto end = i;
    while (end < text.size() && covered[end]) ++end;
    const auto run = text.substr(i, end - i);
    out += shown.find(run) != npos ? run : "***";
    i = end;
  }
  return out;
}

std::string redact_message(std::string_view text, std::string_view conninfo) {
  const auto secrets = password_texts(conninfo);
  if (secrets.empty()) return std::string(text);
  const auto redacted = redact_connection_string(conninfo);
  std::string out(text);
  replace_all(out, conninfo, redacted);
  return mask_pieces(out, secrets, redacted);
}

bool password_misread(std::string_view conninfo) {
  return is_url(conninfo) && split_url(conninfo).misread;
}

}  // namespace pgfns::detail
