// A throwaway primary + hot standby (or two) of a test's own (scripts/pg-cluster), for tests
// that stop, start, restart, promote or pause servers: they must not disturb the cluster other
// tests share.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace pgfns::test {

struct private_cluster_options {
  int standbys = 1;  // 1, or 2 for a second standby ("standby2") streaming from the primary
  // A pgbouncer in front of each node (pg-cluster start --pgbouncer, transaction pooling, kept
  // running while its node is stopped or restarted), `pooler_pool_size` server connections per
  // database and user (its default_pool_size).
  bool pgbouncer = false;
  int pooler_pool_size = 2;
};

class private_cluster {
 public:
  // Starts the primary and the standbys (about two seconds, one more for standby2). Throws
  // std::invalid_argument for a count other than 1 or 2, std::runtime_error on failure.
  explicit private_cluster(private_cluster_options options = {});
  // Stops every server and removes their files.
  ~private_cluster();
  private_cluster(const private_cluster&) = delete;
  private_cluster& operator=(const private_cluster&) = delete;

  const std::string& primary_url() const noexcept { return primary_; }  // database "postgres"
  const std::string& standby_url() const noexcept { return standby_; }
  // Empty unless started with two standbys.
  const std::string& standby2_url() const noexcept { return standby2_; }
  // Through each node's pgbouncer (same database and user); empty unless started with one.
  const std::string& primary_pooled_url() const noexcept { return primary_pooled_; }
  const std::string& standby_pooled_url() const noexcept { return standby_pooled_; }
  const std::string& standby2_pooled_url() const noexcept { return standby2_pooled_; }

  // `node` is "primary", "standby" or "standby2" (when started with two standbys); any other
  // name throws std::invalid_argument. Each returns once the action is done (a started node
  // accepts connections) and throws std::runtime_error when it fails.
  void stop_node(std::string_view node);
  void start_node(std::string_view node);
  void restart_node(std::string_view node);
  // Waits until every standby streams from the primary again.
  void wait_streaming();
  // Returns once every standby has replayed everything committed on the primary so far (also
  // commits made with synchronous_commit off); throws std::runtime_error naming the standby
  // after 20 seconds.
  void wait_replayed() const;
  // Promotes a standby (pg_ctl promote); returns once pg_is_in_recovery() is false there. It
  // keeps its node name.
  void promote_node(std::string_view node);
  // Pauses WAL replay on a standby (pg_wal_replay_pause()); returns once it is paused, so a
  // row committed on the primary from then on stays invisible there until resume_replay. A
  // restart of the node resumes replay.
  void pause_replay(std::string_view node);
  void resume_replay(std::string_view node);
  // Freezes a running node: SIGSTOP to its postmaster and every child (a server that hangs:
  // its sockets still accept, nothing answers). thaw_node sends SIGCONT. The destructor thaws
  // what is still frozen.
  void freeze_node(std::string_view node);
  void thaw_node(std::string_view node);

 private:
  // Runs `pg-cluster <command> DIR <node>` for a node this cluster has.
  void run_on_node(std::string_view command, std::string_view node) const;
  void run(const std::string& args) const;
  std::string env_value(const std::string& name) const;
  int postmaster_pid(std::string_view node) const;

  int standbys_;
  std::string dir_;
  std::string primary_;
  std::string standby_;
  std::string standby2_;
  std::string primary_pooled_;
  std::string standby_pooled_;
  std::string standby2_pooled_;
  std::set<std::string, std::less<>> frozen_;
};

}  // namespace pgfns::test
