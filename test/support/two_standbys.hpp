// A cluster of a test program's own with two hot standbys and the core test schema installed
// and replayed everywhere (a global fixture: one per test program), and helpers to tell which
// server answered.
#pragma once

#include "core_db.hpp"
#include "private_cluster.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace pgfns::test {

struct two_standbys_fixture {
  static inline private_cluster* cluster = nullptr;
  two_standbys_fixture() {
    cluster = new private_cluster({.standbys = 2});
    install_core_schema(cluster->primary_url(), "routing");
    cluster->wait_replayed();
  }
  ~two_standbys_fixture() { delete cluster; }
};

inline private_cluster& two_standbys() {
  return *two_standbys_fixture::cluster;
}

// The port of a URL of the form postgresql://postgres@127.0.0.1:PORT/postgres.
inline int port_of(const std::string& url) {
  const auto colon = url.rfind(':');
  return std::stoi(url.substr(colon + 1, url.rfind('/') - colon - 1));
}

}  // namespace pgfns::test
