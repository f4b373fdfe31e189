#include "detail/url_redact.hpp"

#include <cctype>

namespace pgfns::detail {
namespace {

bool is_url(std::string_view s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

// `a=1&password=x&b=2` -> `a=1&b=2`
std::string drop_password_params(std::string_view query) {
  std::string out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto param = query.substr(0, amp);
    if (!param.starts_with("password=") && !param.empty()) {
      if (!out.empty()) out += '&';
      out += param;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://") + 3;
  auto authority_end = url.find_first_of("/?", scheme_end);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  const auto authority = url.substr(scheme_end, authority_end - scheme_end);

  std::string out(url.substr(0, scheme_end));
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const auto userinfo = authority.substr(0, at);
    out += userinfo.substr(0, userinfo.find(':'));
    out += authority.substr(at);
  } else {
    out += authority;
  }

  auto rest = url.substr(authority_end);
  const auto q = rest.find('?');
  out += rest.substr(0, q);
  if (q != std::string_view::npos) {
    const auto query = drop_password_params(rest.substr(q + 1));
    if (!query.empty()) out += '?' + query;
  }
  return out;
}

// Keyword/value form: `key = value` pairs, values optionally single-quoted with `\` escapes.
std::string redact_keywords(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  const auto skip_space = [&] {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  };
  while (true) {
    skip_space();
    if (i >= s.size()) break;
    const auto key_begin = i;
    while (i < s.size() && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const auto key = s.substr(key_begin, i - key_begin);
    skip_space();
    if (i < s.size() && s[i] == '=') ++i;
    skip_space();
    const auto value_begin = i;
    if (i < s.size() && s[i] == '\'') {
      for (++i; i < s.size() && s[i] != '\''; ++i) {
        if (s[i] == '\\') ++i;
      }
      if (i < s.size()) ++i;
    } else {
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    }
    if (key == "password") continue;
    if (!out.empty()) out += ' ';
    out += key;
    out += '=';
    out += s.substr(value_begin, i - value_begin);
  }
  return out;
}

}  // namespace

std::string redact_connection_string(std::string_view conninfo) {
  return is_url(conninfo) ? redact_url(conninfo) : redact_keywords(conninfo);
}

}  // namespace pgfns::detail
