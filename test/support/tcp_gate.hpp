// Fault injection on the network between a client under test and a real server: a TCP gate on a
// free loopback port that, as the test switches it, forwards each connection to the server (a
// byte pipe both ways), refuses it, or holds it (accepted, nothing forwarded) until the test
// fails it. Every answer a client gets comes from the server; the gate only decides whether the
// bytes get through, and when a connection ends.
//
// The gate runs on the executor it is given, the test's own (one thread): call its members
// there. A test can then act on the gate and on the client in one handler, with nothing
// running in between.
#pragma once

#include "role_urls.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace pgfns::test {

class tcp_gate {
 public:
  enum class mode {
    forward,  // new connections are piped to the server
    refuse,   // new connections are reset as soon as they are accepted
    hold,     // new connections are accepted and left waiting, until fail_held()
  };

  // Listens on 127.0.0.1, on a port the system chose, and forwards to `server` (a host and
  // port, or a socket directory and port). Starts in forward mode.
  tcp_gate(boost::asio::any_io_executor ex, const server_address& server);
  ~tcp_gate();  // resets every connection
  tcp_gate(const tcp_gate&) = delete;
  tcp_gate& operator=(const tcp_gate&) = delete;

  std::uint16_t port() const;
  // `url` (a libpq URI or keyword/value string) leading through the gate: its host and port
  // replaced by the gate's.
  std::string url_through(const std::string& url) const;

  // What the connections that come from now on meet. Refuse also resets every connection open
  // now, forwarded or held.
  void set_mode(mode m);
  // Resets the connections held now.
  void fail_held();

  std::size_t held() const;      // connections held now
  std::size_t accepted() const;  // connections accepted since the start
  // When the gate last reset a connection in refuse mode ({} when it never did).
  std::chrono::steady_clock::time_point last_refusal() const;

 private:
  struct state;
  std::shared_ptr<state> state_;
};

}  // namespace pgfns::test
