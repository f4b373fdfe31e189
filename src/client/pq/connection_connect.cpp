// Connecting without blocking: PQconnectStartParams, then PQconnectPoll whenever the socket
// is ready in the direction libpq asks for. libpq may change sockets between steps (another
// host, a retry without SSL), so the descriptor is released and bound again at every step.
#include "client/pq/connection.hpp"

#include "common/connect_timeout.hpp"

#include <pgfns/error.hpp>

#include <boost/asio/post.hpp>

#include <fcntl.h>
#include <unistd.h>

namespace pgfns::detail {
namespace {

void ignore_notice(void*, const char*) {}

}  // namespace

void connection::async_connect(std::chrono::milliseconds timeout, connect_handler done) {
  on_connect_ = std::move(done);
  conn_.reset(PQconnectStartParams(info_->keywords(), info_->values(), 0));
  if (!conn_) {
    last_error_ = "out of memory";
    return connect_finished(errc::connect_failed);
  }
  if (PQstatus(conn_.get()) == CONNECTION_BAD) {
    record_error();
    return connect_finished(errc::connect_failed);
  }
  // A connect_timeout in the URL wins (0 or less there: no bound), as it does for libpq.
  if (auto url = connect_timeout_value(info_->value("connect_timeout"))) timeout = *url;
  if (timeout.count() <= 0) return connect_step(PGRES_POLLING_WRITING);
  connect_timer_.expires_after(timeout);
  connect_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->ready_ || self->closed_ || !self->on_connect_) return;
    self->last_error_ = "timeout expired while connecting";
    self->connect_timed_out_ = true;
    self->connect_finished(errc::connect_failed);
  });
  connect_step(PGRES_POLLING_WRITING);
}

// The connection waits on a descriptor of its own for libpq's socket (a duplicate): libpq closes
// its descriptor when the server goes away and between connection attempts, and another thread
// of the process may be given that number at once; giving the reactor back a number that names
// someone else's socket could remove that socket's registration. The duplicate stays ours until
// close_socket().
bool connection::rebind_socket() {
  close_socket();
  const int fd = PQsocket(conn_.get());
  if (fd < 0) return false;
  const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (own < 0) return false;
  boost::system::error_code ec;
  socket_.assign(own, ec);
  if (ec) ::close(own);
  return !ec;
}

void connection::close_socket() noexcept {
  boost::system::error_code ignored;
  if (socket_.is_open()) socket_.close(ignored);
}

void connection::connect_step(PostgresPollingStatusType wanted) {
  if (!rebind_socket()) {
    record_error();
    return connect_finished(errc::connect_failed);
  }
  const auto direction = wanted == PGRES_POLLING_READING
                             ? boost::asio::posix::stream_descriptor::wait_read
                             : boost::asio::posix::stream_descriptor::wait_write;
  socket_.async_wait(direction, [self = shared_from_this()](boost::system::error_code ec) {
    if (self->closed_ || !self->on_connect_) return;
    if (ec) {
      self->last_error_ = ec.message();
      return self->connect_finished(errc::connect_failed);
    }
    switch (const auto status = PQconnectPoll(self->conn_.get())) {
      case PGRES_POLLING_OK:
        return self->connect_finished({});
      case PGRES_POLLING_FAILED:
        self->record_error();
        return self->connect_finished(errc::connect_failed);
      default:
        return self->connect_step(status);
    }
  });
}

void connection::connect_finished(boost::system::error_code ec) {
  connect_timer_.cancel();
  if (!ec) {
    PGconn* c = conn_.get();
    PQsetNoticeProcessor(c, ignore_notice, nullptr);
    if (!rebind_socket() || PQsetnonblocking(c, 1) != 0 || PQenterPipelineMode(c) != 1) {
      record_error();
      ec = errc::connect_failed;
    } else {
      cancel_.reset(PQgetCancel(c), PQfreeCancel);
      ready_ = true;
      start_read_wait();
    }
  }
  if (ec) {
    close_socket();
    conn_.reset();
    closed_ = true;
  }
  auto done = std::move(on_connect_);
  on_connect_ = nullptr;
  // Post, so that the caller never sees its handler run inside async_connect.
  boost::asio::post(ex_, [self = shared_from_this(), done = std::move(done), ec] {
    done(ec, self->last_error_);
  });
}

}  // namespace pgfns::detail
