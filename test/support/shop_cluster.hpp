// A private cluster (one primary, two hot standbys) holding the shop schema of db/ at its
// latest version, for tests of replica routing through whole-cluster events.
#pragma once

#include "private_cluster.hpp"

#include <pgfns/database_options.hpp>
#include <pgfns/schema.hpp>
#include <pgfns/upgrade.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace pgfns::test {

std::shared_ptr<const pgfns::schema> load_schema(const std::filesystem::path& dir);

// How diagnostics name a server of a private cluster: "127.0.0.1:PORT/postgres" for
// "postgresql://postgres@127.0.0.1:PORT/postgres".
std::string server_of(const std::string& url);

// The cluster with service users `rc_<service>` (though the cases connect as the superuser)
// and one product, id 1, named "first", replayed on both standbys.
struct shop_cluster {
  private_cluster cluster{{.standbys = 2}};
  std::shared_ptr<const pgfns::schema> shop;

  shop_cluster();

  pgfns::upgrade_options upgrade_options() const;
  // Returns once both standbys have replayed everything committed on the primary so far.
  void wait_replayed() const { cluster.wait_replayed(); }
  // Service catalog writing to `write_url` and reading from both standbys (standby first: it
  // wins a tie), with waits longer than any of the cases' own.
  pgfns::database_options options(std::shared_ptr<const pgfns::schema> s,
                                  std::string write_url) const;
};

}  // namespace pgfns::test
