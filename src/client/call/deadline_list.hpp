// The deadlines of a database's calls: one timer for all of them. Every call gets the same
// timeout and is added when it starts, so the list is in deadline order and only its head
// needs the timer; adding and removing a call costs no allocation and no timer operation
// (the timer is re-armed when it fires, for the head of that moment).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/list.hpp>

#include <chrono>
#include <memory>

namespace pgfns::detail {

struct deadline_tag;

// Something with a deadline (a call), told when it passes.
class deadline_entry
    : public boost::intrusive::list_base_hook<boost::intrusive::tag<deadline_tag>> {
 public:
  // The deadline passed; the entry is no longer in the list. May delete the entry.
  virtual void on_deadline() = 0;

 protected:
  ~deadline_entry() = default;

 private:
  friend class deadline_list;
  std::chrono::steady_clock::time_point deadline_;
};

class deadline_list {
 public:
  // `timeout` 0: add() does nothing (no deadlines).
  deadline_list(boost::asio::any_io_executor ex, std::chrono::milliseconds timeout);
  deadline_list(const deadline_list&) = delete;
  deadline_list& operator=(const deadline_list&) = delete;
  ~deadline_list();

  // Watches `e`, which started at `start` (not earlier than any entry added before).
  void add(deadline_entry& e, std::chrono::steady_clock::time_point start);
  // Stops watching `e` (nothing when it is not watched).
  void remove(deadline_entry& e) noexcept;
  // Stops the timer and forgets every entry without telling them.
  void clear() noexcept;
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  using list = boost::intrusive::list<
      deadline_entry, boost::intrusive::base_hook<
                          boost::intrusive::list_base_hook<boost::intrusive::tag<deadline_tag>>>>;

  void arm();
  void expire();

  boost::asio::steady_timer timer_;
  std::chrono::milliseconds timeout_;
  list entries_;
  bool armed_ = false;
  // Points here while this lives: the timer's handler may run after the destructor.
  std::shared_ptr<deadline_list*> self_;
};

}  // namespace pgfns::detail
