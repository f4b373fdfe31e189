// A program built on pgfns the way a project outside this tree builds it (find_package,
// add_subdirectory or pkg-config; see test/package/consumers): as the example shop's catalog
// service, it reads one product (db/) on the read pool with db.call and checks its sku; then it
// encrypts the sku with a pgfns::keyring and decrypts it again (the library's use of OpenSSL's
// libcrypto must link too).
//
//   pgfns_consumer DB_DIR WRITE_URL READ_URL PRODUCT_ID SKU
//
// Exits 0 when get_product(PRODUCT_ID) returns one row whose sku is SKU and the keyring gives
// it back; otherwise prints why on stderr and exits 1.
#include "consumer_main.hpp"

#include <pgfns/database.hpp>
#include <pgfns/keyring.hpp>
#include <pgfns/result.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include <iostream>
#include <string>
#include <string_view>

namespace {

boost::asio::awaitable<bool> read_product(pgfns::database& db, int product_id, std::string sku) {
  const pgfns::result r = co_await db.call("get_product", product_id);
  const boost::json::string* found = r.size() == 1 ? r[0].at("sku").if_string() : nullptr;
  if (found == nullptr || *found != sku) {
    std::cerr << "get_product(" << product_id << ") returned " << r.rows << ", expected one row"
              << " with sku " << boost::json::value(sku) << "\n";
    co_return false;
  }
  std::cout << "get_product(" << product_id << ") answered by " << r.diag.server << ": " << r[0]
            << "\n";
  const auto keys = pgfns::keyring::parse(
      R"([{"id": "k1", "algo": "aes-256", "key": "AQgPFh0kKzI5QEdOVVxjanF4f4aNlJuiqbC3vsXM09o="}])");
  const boost::json::value encrypted = keys.encrypt(std::string_view(sku));
  if (keys.decrypt_to_string(encrypted) != sku) {
    std::cerr << "the keyring did not give the sku back from " << encrypted << "\n";
    co_return false;
  }
  co_return true;
}

}  // namespace

int main(int argc, char** argv) {
  return pgfns_consumer::run(argc, argv, read_product);
}
