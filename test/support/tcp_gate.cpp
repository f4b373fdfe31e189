#include "tcp_gate.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace pgfns::test {
namespace {

using boost::asio::ip::tcp;
using upstream = boost::asio::generic::stream_protocol;  // TCP or a Unix socket

// Closes `s` with a reset (SO_LINGER 0): the peer's next read or write fails at once.
void reset(tcp::socket& s) {
  boost::system::error_code ignored;
  s.set_option(boost::asio::socket_base::linger(true, 0), ignored);
  s.close(ignored);
}

upstream::endpoint endpoint_of(const boost::asio::any_io_executor& ex, const server_address& a) {
  if (a.host.starts_with("/"))
    return boost::asio::local::stream_protocol::endpoint(a.host + "/.s.PGSQL." + a.port);
  tcp::resolver resolver(ex);
  return resolver.resolve(a.host, a.port).begin()->endpoint();
}

// A forwarded connection: what either side sends is written to the other, until one ends.
class forwarded : public std::enable_shared_from_this<forwarded> {
 public:
  explicit forwarded(tcp::socket client)
      : client_(std::move(client)), server_(client_.get_executor()) {}

  void start(const upstream::endpoint& server) {
    server_.async_connect(server, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return self->drop();
      self->relay(self->client_, self->server_, self->to_server_);
      self->relay(self->server_, self->client_, self->to_client_);
    });
  }

  // The gate cuts the connection: the client sees a reset, the server an end of input.
  void drop() {
    reset(client_);
    end();
  }

 private:
  using buffer = std::array<char, 16384>;

  template <class From, class To>
  void relay(From& from, To& to, buffer& b) {
    from.async_read_some(boost::asio::buffer(b), [self = shared_from_this(), &from, &to, &b](
                                                     boost::system::error_code ec, std::size_t n) {
      if (ec) return self->end();
      boost::asio::async_write(to, boost::asio::buffer(b.data(), n),
                               [self, &from, &to, &b](boost::system::error_code e, std::size_t) {
                                 if (e) return self->end();
                                 self->relay(from, to, b);
                               });
    });
  }

  // One side ended: both are closed, as the end of a direct connection would be seen.
  void end() {
    boost::system::error_code ignored;
    client_.close(ignored);
    server_.close(ignored);
  }

  tcp::socket client_;
  upstream::socket server_;
  buffer to_server_{};
  buffer to_client_{};
};

}  // namespace

struct tcp_gate::state : std::enable_shared_from_this<state> {
  state(const boost::asio::any_io_executor& ex, const server_address& server)
      : acceptor(ex, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)),
        upstream_endpoint(endpoint_of(ex, server)) {}

  void accept() {
    acceptor.async_accept([self = shared_from_this()](boost::system::error_code ec, tcp::socket s) {
      if (!self->acceptor.is_open()) return;
      if (!ec) self->admit(std::move(s));
      self->accept();
    });
  }

  void admit(tcp::socket s) {
    ++accepted;
    switch (current) {
      case mode::forward: {
        std::erase_if(pipes, [](const std::weak_ptr<forwarded>& p) { return p.expired(); });
        auto p = std::make_shared<forwarded>(std::move(s));
        pipes.push_back(p);
        p->start(upstream_endpoint);
        return;
      }
      case mode::refuse:
        reset(s);
        last_refusal = std::chrono::steady_clock::now();
        return;
      case mode::hold:
        held.push_back(std::move(s));
        return;
    }
  }

  void fail_held() {
    for (tcp::socket& s : held) reset(s);
    held.clear();
  }

  void drop_all() {
    fail_held();
    for (const std::weak_ptr<forwarded>& w : pipes)
      if (auto p = w.lock()) p->drop();
    pipes.clear();
  }

  tcp::acceptor acceptor;
  upstream::endpoint upstream_endpoint;
  mode current = mode::forward;
  std::vector<std::weak_ptr<forwarded>> pipes;  // each kept alive by its pending operations
  std::vector<tcp::socket> held;
  std::size_t accepted = 0;
  std::chrono::steady_clock::time_point last_refusal{};
};

tcp_gate::tcp_gate(boost::asio::any_io_executor ex, const server_address& server)
    : state_(std::make_shared<state>(ex, server)) {
  state_->accept();
}

tcp_gate::~tcp_gate() {
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
  state_->drop_all();
}

std::uint16_t tcp_gate::port() const {
  return state_->acceptor.local_endpoint().port();
}

std::string tcp_gate::url_through(const std::string& url) const {
  // libpq takes the last value of a parameter: in a URI, the query's over the authority's.
  // (Built by appending: GCC 12 reports false -Wrestrict warnings on chained operator+.)
  std::string out = url;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    out += url.find('?') == std::string::npos ? "?" : "&";
    out += "host=127.0.0.1&port=";
    out += std::to_string(port());
  } else {
    out += " host='127.0.0.1' port='";
    out += std::to_string(port());
    out += '\'';
  }
  return out;
}

void tcp_gate::set_mode(mode m) {
  state_->current = m;
  if (m == mode::refuse) state_->drop_all();
}

void tcp_gate::fail_held() {
  state_->fail_held();
}

std::size_t tcp_gate::held() const {
  return state_->held.size();
}

std::size_t tcp_gate::accepted() const {
  return state_->accepted;
}

std::chrono::steady_clock::time_point tcp_gate::last_refusal() const {
  return state_->last_refusal;
}

}  // namespace pgfns::test
