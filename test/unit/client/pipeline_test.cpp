// The pipeline of a connection without I/O: a cancel goes only to the head; a job further back
// is cancelled when its turn comes; a detached job's answer is discarded; an unanswered cancel
// names its job.
#include "client/pq/pipeline.hpp"

#include <boost/test/unit_test.hpp>

using namespace pgfns::detail;

namespace {

struct job final : pipeline_entry {
  explicit job(std::string_view name) { label = name; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(pipeline_rules)

BOOST_AUTO_TEST_CASE(jobs_are_answered_in_order_with_serials) {
  job a("a"), b("b");
  pipeline p;
  p.push(a);
  p.push(b);
  BOOST_TEST(a.serial() == 1u);
  BOOST_TEST(b.serial() == 2u);
  BOOST_TEST(p.size() == 2u);
  auto first = p.pop();
  BOOST_TEST(first.entry == &a);
  BOOST_TEST(first.deliver);
  BOOST_TEST(!first.cancel_next);
  BOOST_TEST(p.pop().entry == &b);
  BOOST_TEST(p.empty());
  BOOST_TEST(p.answered() == 2u);
  BOOST_TEST(p.pop().entry == nullptr);
}

BOOST_AUTO_TEST_CASE(stopping_the_head_sends_one_cancel) {
  job a("a");
  pipeline p;
  p.push(a);
  BOOST_TEST(p.stop(a, stop_reason::cancel, false));
  BOOST_TEST(a.cancel_sent());
  BOOST_TEST(!p.stop(a, stop_reason::deadline, false));  // sent already
  BOOST_TEST((a.stop() == stop_reason::cancel));         // the first reason stands
}

BOOST_AUTO_TEST_CASE(a_job_behind_the_head_is_cancelled_when_its_turn_comes) {
  job a("a"), b("b"), c("c");
  pipeline p;
  p.push(a);
  p.push(b);
  p.push(c);
  BOOST_TEST(!p.stop(b, stop_reason::cancel, false));  // a runs: nothing sent now
  BOOST_TEST(!b.cancel_sent());
  BOOST_TEST(!a.cancel_sent());
  auto first = p.pop();
  BOOST_TEST(first.entry == &a);
  BOOST_TEST(first.deliver);
  BOOST_TEST(first.cancel_next);  // b's turn: cancel it now
  BOOST_TEST(b.cancel_sent());
  BOOST_TEST(!c.cancel_sent());
  auto second = p.pop();
  BOOST_TEST(second.entry == &b);
  BOOST_TEST(!second.cancel_next);  // c was never stopped
}

BOOST_AUTO_TEST_CASE(a_detached_job_is_discarded_and_still_cancelled_at_its_turn) {
  job a("a"), b("b");
  pipeline p;
  p.push(a);
  p.push(b);
  BOOST_TEST(!p.stop(b, stop_reason::deadline, true));
  BOOST_TEST(b.detached());
  BOOST_TEST(p.size() == 2u);  // still in flight: the server will answer it
  BOOST_TEST(p.pop().cancel_next);
  auto second = p.pop();
  BOOST_TEST(second.entry == &b);
  BOOST_TEST(!second.deliver);
}

BOOST_AUTO_TEST_CASE(stopping_a_job_not_in_flight_does_nothing) {
  job a("a");
  pipeline p;
  BOOST_TEST(!p.stop(a, stop_reason::cancel, true));
  BOOST_TEST(!a.detached());
}

BOOST_AUTO_TEST_CASE(an_unanswered_cancel_is_only_the_heads_and_names_it) {
  job a("get_product"), b("set_stock");
  pipeline p;
  p.push(a);
  p.push(b);
  BOOST_TEST(!p.cancel_unanswered(a.serial()));  // no cancel sent
  BOOST_TEST(p.stop(a, stop_reason::deadline, true));
  BOOST_TEST(p.cancel_unanswered(a.serial()));
  BOOST_TEST(!p.cancel_unanswered(b.serial()));
  BOOST_TEST(p.unanswered_reason(5000) ==
             "the server did not answer the cancel request for get_product (its deadline "
             "passed) within 5000 ms");
  p.pop();
  BOOST_TEST(!p.cancel_unanswered(a.serial()));  // answered since
}

BOOST_AUTO_TEST_CASE(closing_takes_every_job_out_in_order) {
  job a("a"), b("b");
  pipeline p;
  p.push(a);
  p.push(b);
  p.stop(a, stop_reason::cancel, true);
  bool deliver = true;
  BOOST_TEST(p.take_front(deliver) == &a);
  BOOST_TEST(!deliver);
  BOOST_TEST(p.take_front(deliver) == &b);
  BOOST_TEST(deliver);
  BOOST_TEST(p.take_front(deliver) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
