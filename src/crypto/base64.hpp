// Base64 (RFC 4648, standard alphabet, with padding) as Taskcluster's values and keys use it.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::crypto {

std::string base64_encode(std::span<const std::byte> bytes);

// The bytes of `text`, or nothing when it is not base64: a character outside the alphabet, a
// length that is not a multiple of 4 once padded, padding inside, or bits left over. Missing
// trailing padding is accepted (Node's Buffer.from(text, "base64") accepts it too).
std::optional<std::vector<std::byte>> base64_decode(std::string_view text);

}  // namespace pgfns::crypto
