// Starting a database: open the write pool, read the database version on the primary and
// compare it with the schema's, then open the read pools, probe every server and wait (at most
// max_replica_lag) for the standbys to show they are fresh. When the write server cannot be
// reached but a standby at the schema's version answers, the database starts for reads: writes
// fail with server_unavailable until the write pool reconnects by itself.
#include "client/database_core.hpp"
#include "common/error_line.hpp"

#include <pgfns/error.hpp>

#include "client/complete_later.hpp"
#include "common/utf8.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

class start_sequence final : public pq_job,
                             public pool_waiter,
                             public std::enable_shared_from_this<start_sequence> {
 public:
  explicit start_sequence(std::shared_ptr<database_core> core) : core_(std::move(core)) {}

  void run() {
    keep_ = shared_from_this();
    const auto retry_for = core_->options().start_retry_for;
    if (retry_for.count() > 0) retry_until_ = std::chrono::steady_clock::now() + retry_for;
    auto on_started = [self = keep_](boost::system::error_code ec, const std::string& m) {
      if (ec == errc::shut_down) return self->fail(ec, pool_role::write, m);
      if (ec && self->core_->reads_on_primary_)
        return self->fail(errc::connect_failed, pool_role::write, self->gave_up(m));
      if (ec) {  // the standbys may still serve reads
        self->write_error_ = self->gave_up(m);
        return self->start_read_pools();
      }
      pool& p = *self->core_->write_;
      if (connection* c = p.try_acquire()) return self->on_acquired(*c);
      p.wait(*self);
    };
    core_->write_->start(std::move(on_started), retry_until_);
  }

 private:
  void on_acquired(connection& c) override {
    sql = "select version from tcversion";
    c.submit(*this);
  }

  void on_acquire_failed(boost::system::error_code ec) override {
    fail(ec, pool_role::write, core_->write_->last_error());
  }

  void on_job_done(connection& c) override {
    if (ec) return fail(ec, pool_role::write, c.last_error());
    int version = 0;  // no tcversion table: a database never upgraded
    if (error) {
      const char* state = PQresultErrorField(error.get(), PG_DIAG_SQLSTATE);
      if (!state || std::strcmp(state, "42P01") != 0) return fail_with_server_error();
    } else if (PQntuples(result.get()) > 0) {
      const char* v = PQgetvalue(result.get(), 0, 0);
      std::from_chars(v, v + std::strlen(v), version);
    }
    const int wanted = core_->schema().latest_version();
    if (version < wanted) {
      return fail(errc::database_too_old, pool_role::write,
                  "database version " + std::to_string(version) + " is older than schema version " +
                      std::to_string(wanted) + "; upgrade the database first");
    }
    start_read_pools();
  }

  // Every read pool is started at once. With fallback, reads need no read server to start (the
  // first attempt decides); without it, at least one must answer.
  void start_read_pools() {
    // Without the write server, reads need a read server whatever read_fallback says.
    const bool fallback = core_->options().read_fallback && write_error_.empty();
    pending_ = core_->reads_.size();
    for (auto& p : core_->reads_) {
      auto on_started = [self = keep_, fallback, p = p.get()](boost::system::error_code ec,
                                                              const std::string& m) {
        if (self->read_failed_ || self->finished_) return;
        if (ec == errc::shut_down) return self->fail(ec, pool_role::read, m);
        if (ec) {
          ++self->unreachable_;
          if (!self->read_error_.empty()) self->read_error_ += "; ";
          self->read_error_ += p->server() + ": " + m;
        }
        if (--self->pending_ > 0) return;
        if (self->unreachable_ == self->core_->reads_.size() && !fallback) {
          self->read_failed_ = true;
          if (!self->write_error_.empty()) return self->fail_unreachable();
          return self->fail(errc::connect_failed, pool_role::read,
                            self->gave_up(self->read_error_));
        }
        self->probe_servers();
      };
      p->start(std::move(on_started),
               fallback ? std::chrono::steady_clock::time_point{} : retry_until_);
    }
  }

  // The first probe of every server, so that the first reads already know where to go; then,
  // without the write server, the standbys' version stands for the database's.
  void probe_servers() {
    core_->start_probes([self = keep_] {
      if (!self->write_error_.empty() && !self->standby_has_schema()) return;
      self->core_->wait_for_standbys([self] {
        diagnostics d;
        if (!self->write_error_.empty())
          d.message =
              "write server unreachable, writes fail until it is back (reads go to the "
              "standbys): " +
              self->write_error_;
        if (self->unreachable_ > 0) {
          if (!d.message.empty()) d.message += "; ";
          d.message += "read server unreachable, reads go elsewhere for now: " + self->read_error_;
        }
        self->finish({}, std::move(d));
      });
    });
  }

  // Some standby answered its probe at a version at least the schema's; fails the start when
  // none did.
  bool standby_has_schema() {
    const router& r = core_->routing();
    const int wanted = core_->schema().latest_version();
    int best = -1;
    for (std::size_t i = 0; i < r.read_servers(); ++i) {
      const server_state& s = r.read_server(i);
      if (s.role != server_role::standby) continue;
      if (s.version >= wanted) return true;
      best = std::max(best, s.version);
    }
    if (best >= 0) {
      fail(errc::database_too_old, pool_role::read,
           "write server unreachable (" + write_error_ + "), and the standbys' database version " +
               std::to_string(best) + " is older than schema version " + std::to_string(wanted));
    } else {
      fail_unreachable();
    }
    return false;
  }

  void fail_unreachable() {
    std::string m = "write server unreachable: " + write_error_ + "; no standby can serve reads";
    if (!read_error_.empty()) m += " (" + read_error_ + ")";
    fail(errc::connect_failed, pool_role::write, m);
  }

  // libpq's message, saying how long the start kept trying.
  std::string gave_up(const std::string& message) const {
    if (retry_until_ == std::chrono::steady_clock::time_point{}) return message;
    return "still unreachable after retrying for " +
           std::to_string(core_->options().start_retry_for.count()) +
           " ms (start_retry_for): " + message;
  }

  void fail_with_server_error() {
    diagnostics d;
    d.sqlstate = PQresultErrorField(error.get(), PG_DIAG_SQLSTATE);
    const char* m = PQresultErrorField(error.get(), PG_DIAG_MESSAGE_PRIMARY);
    d.message = "reading the database version: " + error_line(m ? m : "");
    d.pool = to_string(pool_role::write);
    d.server = core_->write_->server();
    finish(make_sqlstate_error(d.sqlstate), std::move(d));
  }

  void fail(boost::system::error_code ec, pool_role role, const std::string& message) {
    diagnostics d;
    d.message = message;
    d.pool = to_string(role);
    d.server = core_->pool_of(role).server();
    finish(ec, std::move(d));
  }

  void finish(boost::system::error_code ec, diagnostics d) {
    if (finished_) return;
    finished_ = true;
    if (ec) {
      core_->stop_probes();
      core_->write_->close();
      for (auto& p : core_->reads_) p->close();
    }
    if (d.server.empty()) d.server = core_->write_->server();
    core_->finish_start(ec, std::move(d));
    keep_.reset();  // may destroy this
  }

  std::shared_ptr<database_core> core_;
  std::shared_ptr<start_sequence> keep_;
  std::chrono::steady_clock::time_point retry_until_{};  // when start_retry_for ends
  std::size_t pending_ = 0;                              // read pools not started yet
  std::size_t unreachable_ = 0;                          // read pools whose first attempt failed
  std::string read_error_;                               // why, per server
  std::string write_error_;  // why the write server could not be reached ("" when it was)
  bool read_failed_ = false;
  bool finished_ = false;
};

namespace {

// Why `service` cannot start with `s` ("" when it can): it must be a service of access.yml or
// of a method, or it would connect as a user the schema never granted anything.
std::string unknown_service(const schema& s, std::string_view service) {
  const std::vector<std::string> known = s.services();
  if (std::binary_search(known.begin(), known.end(), normalize_service_name(service))) return {};
  std::string message = "service \"" + printable(service) +
                        "\" (database_options::service) is not a service of the schema (its "
                        "services: ";
  for (std::size_t i = 0; i < known.size(); ++i) message += (i ? ", " : "") + known[i];
  return message + (known.empty() ? "none)" : ")");
}

}  // namespace

void database_core::start(start_handler handler) {
  if (state_ != state::created) {
    const boost::system::error_code ec =
        state_ == state::closed ? errc::shut_down : errc::already_started;
    return complete_later(ex_, std::move(handler), ec, diagnostics{});
  }
  if (std::string why = unknown_service(schema(), options_.service); !why.empty()) {
    diagnostics d;
    d.message = std::move(why);
    return complete_later(ex_, std::move(handler), errc::wrong_service, std::move(d));
  }
  state_ = state::starting;
  on_start_.emplace(std::move(handler));
  if (started_before_) make_pools();
  started_before_ = true;
  std::make_shared<start_sequence>(shared_from_this())->run();
}

}  // namespace pgfns::detail
