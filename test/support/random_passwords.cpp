#include "random_passwords.hpp"

#include "pg_test.hpp"

#include <cstdio>

namespace pgfns::test {
namespace {

constexpr std::string_view specials = "@:/%?#[]'\"\\ ";
constexpr std::string_view alphanumerics =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

char pick(std::string_view from, std::mt19937& gen) {
  return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(gen)];
}

// Every special character percent-encoded (and, when `some` is set, only some of them).
std::string encode_specials(std::string_view s, std::mt19937* some) {
  std::string out;
  for (char c : s) {
    const bool special = specials.find(c) != std::string_view::npos;
    if (special && (!some || std::bernoulli_distribution(0.5)(*some))) {
      out += percent_encoded(std::string_view(&c, 1));
    } else {
      out += c;
    }
  }
  return out;
}

// Unquoted keyword value: `\` before each space, quote and backslash.
std::string keyword_escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view s) {
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

bool has_marker(std::string_view piece) {
  return piece.find_first_of(password_markers) != std::string_view::npos;
}

}  // namespace

std::string random_passwords::next(std::size_t min_size, std::size_t max_size) {
  const auto size = std::uniform_int_distribution<std::size_t>(min_size, max_size)(gen_);
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    if (i % 3 == 0) {
      out += pick(password_markers, gen_);
    } else {
      out +=
          std::bernoulli_distribution(0.6)(gen_) ? pick(specials, gen_) : pick(alphanumerics, gen_);
    }
  }
  return out;
}

std::vector<password_shape> password_shapes(const std::string& password, const server_address& a,
                                            const std::string& user, std::mt19937& gen) {
  const std::string at = "@" + a.host + ":" + a.port + "/" + a.dbname;
  const std::string hosts = a.host + ":" + a.port;
  const auto encoded = encode_specials(password, nullptr);
  const auto partly = encode_specials(password, &gen);
  const auto escaped = keyword_escaped(password);
  const auto quoted = keyword_quoted(password);
  const std::string keywords =
      "host=" + a.host + " port=" + a.port + " dbname=" + a.dbname + " user=" + user;
  return {
      {"url, raw password", "postgresql://" + user + ":" + password + at, password},
      {"url, encoded password", "postgresql://" + user + ":" + encoded + at, encoded},
      {"postgres:// url, partly encoded password", "postgres://" + user + ":" + partly + at,
       partly},
      {"url with two hosts, raw password",
       "postgresql://" + user + ":" + password + "@" + hosts + "," + hosts + "/" + a.dbname +
           "?connect_timeout=5",
       password},
      {"url, encoded password parameter",
       "postgresql://" + user + at + "?sslmode=disable&password=" + encoded +
           "&application_name=pgfns_test",
       encoded},
      {"url, raw password parameter", "postgresql://" + user + at + "?password=" + password,
       password},
      {"keywords, quoted password", keywords + " password=" + quoted, quoted},
      {"keywords, escaped password", "password=" + escaped + " " + keywords, escaped},
      {"keywords, raw password", keywords + " password=" + password + " connect_timeout=5",
       password},
  };
}

std::string shown_piece(std::string_view text, std::string_view password,
                        std::string_view written) {
  const std::string decoded = percent_decoded(written);
  for (const std::string_view form : {password, written, std::string_view(decoded)}) {
    for (std::size_t i = 0; i + 3 <= form.size(); ++i) {
      const auto piece = form.substr(i, 3);
      if ((form.data() == password.data() || has_marker(piece)) &&
          text.find(piece) != std::string_view::npos) {
        return std::string(piece);
      }
    }
  }
  return "";
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::string line;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      out.push_back(std::move(line));
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) out.push_back(std::move(line));
  return out;
}

std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace pgfns::test
