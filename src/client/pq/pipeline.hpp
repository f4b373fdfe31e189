// The pipeline of one connection, without I/O: the jobs sent and not yet answered, in order,
// and the rules for stopping one of them.
//
// A server-side cancel stops whatever the backend runs, which under pipelining need not be the
// job whose caller asked: so a cancel is sent only for the head of the queue (the oldest job
// not answered, the one the backend runs or runs next); a job further back is marked and
// cancelled when its turn comes. A job whose owner has already been answered (a stopped read:
// its result no longer matters) is "detached": it stays in the queue, since the server will
// answer it, and its answer is discarded. When the head's cancel is not answered within the
// grace period, the server cannot be trusted with the jobs behind it: the connection closes,
// and the reason names the job and why it was stopped.
//
// Reads may share a sync point (a group: connection::set_reads_per_sync). The server answers a
// group's reads together at its sync point, so the connection cannot tell which of them the
// backend runs: while a group is the oldest unanswered work (the front group), a stopped read
// of it is cancelled at once, and the cancel may reach another read of the group or, arriving
// late, the job after the group. Such a victim fails with 57014 and its call runs again,
// as a late cancel's victim always did (connection::cancels_sent says when a 57014 may be
// one). One cancel is outstanding at a time.
//
// The connection performs what these functions return; they are unit-tested without a server.
#pragma once

#include <boost/intrusive/list.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace pgfns::detail {

struct pipeline_tag;

// Why the owner of a job wants it stopped.
enum class stop_reason : std::uint8_t { none, cancel, deadline };

// What the pipeline knows of a job in flight.
class pipeline_entry
    : public boost::intrusive::list_base_hook<boost::intrusive::tag<pipeline_tag>> {
 public:
  // Set by the owner before the job is sent: what to call it in a reason ("get_product").
  std::string_view label;

  stop_reason stop() const noexcept { return stop_; }
  bool detached() const noexcept { return detached_; }
  bool cancel_sent() const noexcept { return cancel_sent_; }
  // The job's place in its connection's pipeline: 1 for the first job ever sent on it.
  std::uint64_t serial() const noexcept { return serial_; }
  // The group of reads sharing its sync point, 0 when it has its own.
  std::uint64_t group() const noexcept { return group_; }

 protected:
  ~pipeline_entry() = default;
  void reset_pipeline_state() noexcept {
    stop_ = stop_reason::none;
    detached_ = cancel_sent_ = false;
    serial_ = group_ = 0;
  }

 private:
  friend class pipeline;
  stop_reason stop_ = stop_reason::none;
  bool detached_ = false;
  bool cancel_sent_ = false;
  std::uint64_t serial_ = 0;
  std::uint64_t group_ = 0;
};

class pipeline {
 public:
  using queue = boost::intrusive::list<
      pipeline_entry, boost::intrusive::base_hook<
                          boost::intrusive::list_base_hook<boost::intrusive::tag<pipeline_tag>>>>;

  pipeline() = default;
  pipeline(const pipeline&) = delete;
  pipeline& operator=(const pipeline&) = delete;
  ~pipeline() { jobs_.clear(); }

  // `e` was sent: it is answered after every job sent before it. `group`: the group of reads
  // sharing a sync point it belongs to (the jobs of a group are pushed one after another), 0:
  // none.
  void push(pipeline_entry& e, std::uint64_t group = 0) noexcept;

  bool empty() const noexcept { return jobs_.empty(); }
  std::size_t size() const noexcept { return jobs_.size(); }
  pipeline_entry& head() noexcept { return jobs_.front(); }
  pipeline_entry& tail() noexcept { return jobs_.back(); }
  std::uint64_t answered() const noexcept { return answered_; }

  // The server answered the head (its sync point came): it leaves the queue.
  struct popped {
    pipeline_entry* entry = nullptr;
    bool deliver = false;  // its owner waits for the answer (false: detached, discard)
    // Send a cancel now for this job of the (new) front group, stopped before its turn.
    pipeline_entry* cancel_next = nullptr;
  };
  popped pop() noexcept;

  // The owner of `e` wants it stopped for `why`; `detach` when the owner is answered at once
  // (a read, whose result no longer matters). Returns the job to send a cancel for now: `e`
  // when it is the head, or a read of the front group, and no cancel is outstanding for that
  // group (or an earlier stopped read of it); null: nothing now (sent already, or `e` waits for
  // its turn, or for the outstanding cancel's answer).
  pipeline_entry* stop(pipeline_entry& e, stop_reason why, bool detach) noexcept;

  // A cancel was sent for the job `serial` a grace period ago. True when the server has not
  // answered it since: the connection is to be closed.
  bool cancel_unanswered(std::uint64_t serial) const noexcept;
  // The cancel of the job `serial` is worth sending again (a cancel that reaches the server
  // while it reads the next message is ignored): it is still unanswered.
  bool still_running(std::uint64_t serial) const noexcept { return cancel_unanswered(serial); }

  // Why the connection is closed when a cancel went unanswered, e.g. "the server did not answer
  // the cancel request for get_product (its deadline passed) within 5000 ms".
  std::string unanswered_reason(long long grace_ms) const;

  // Closing: takes the jobs out in order. `deliver` is false for a detached one.
  pipeline_entry* take_front(bool& deliver) noexcept;

 private:
  pipeline_entry* next_to_cancel() noexcept;

  queue jobs_;
  std::size_t stops_ = 0;  // jobs stopped whose cancel is not sent yet
  std::uint64_t sent_ = 0;
  std::uint64_t answered_ = 0;
};

}  // namespace pgfns::detail
