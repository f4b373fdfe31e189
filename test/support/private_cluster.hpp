// A throwaway primary + hot standby of a test's own (scripts/pg-cluster), for tests that stop,
// start and restart servers: they must not disturb the cluster other tests share.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace pgfns::test {

class private_cluster {
 public:
  // Starts both servers (about two seconds). Throws std::runtime_error on failure.
  private_cluster();
  // Stops both servers and removes their files.
  ~private_cluster();
  private_cluster(const private_cluster&) = delete;
  private_cluster& operator=(const private_cluster&) = delete;

  const std::string& primary_url() const noexcept { return primary_; }  // database "postgres"
  const std::string& standby_url() const noexcept { return standby_; }

  // `node` is "primary" or "standby". Each returns once the action is done (a started node
  // accepts connections).
  void stop_node(std::string_view node);
  void start_node(std::string_view node);
  void restart_node(std::string_view node);
  // Waits until the standby streams from the primary again.
  void wait_streaming();
  // Freezes a running node: SIGSTOP to its postmaster and every child (a server that hangs:
  // its sockets still accept, nothing answers). thaw_node sends SIGCONT. The destructor thaws
  // what is still frozen.
  void freeze_node(std::string_view node);
  void thaw_node(std::string_view node);

 private:
  void run(const std::string& args) const;
  std::string env_value(const std::string& name) const;
  int postmaster_pid(std::string_view node) const;

  std::string dir_;
  std::string primary_;
  std::string standby_;
  std::set<std::string, std::less<>> frozen_;
};

}  // namespace pgfns::test
