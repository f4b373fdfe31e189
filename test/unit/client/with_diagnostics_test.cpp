// pgfns::with_diagnostics over an operation that completes as a pgfns call does
// (void(error_code, result), through an any_completion_handler), with no server: tokens that
// throw throw pgfns::error with the diagnostics; tokens that take the error code still get it;
// the wrapped handler keeps the cancellation slot of the one it wraps.
#include <pgfns/with_diagnostics.hpp>

#include <pgfns/error.hpp>
#include <pgfns/result.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <tuple>

namespace asio = boost::asio;
using boost::system::error_code;
using pgfns::with_diagnostics;

namespace {

const error_code unique_violation = pgfns::make_sqlstate_error("23505");

pgfns::diagnostics server_diagnostics() {
  pgfns::diagnostics d;
  d.sqlstate = "23505";
  d.message = "duplicate key value violates unique constraint \"items_pkey\"";
  d.detail = "Key (id)=(1) already exists.";
  d.hint = "choose another id";
  d.method = "add_item";
  return d;
}

// Completes later, on `ioc`, with `ec` and a result: one row on success, the diagnostics above on
// failure. A cancellation through the handler's slot completes it with operation_aborted instead.
struct fake_call {
  asio::io_context& ioc;

  template <class Token>
  auto operator()(error_code ec, Token&& token) {
    using signature = void(error_code, pgfns::result);
    return asio::async_initiate<Token, signature>(
        [this](auto handler, error_code code) {
          auto h = std::make_shared<asio::any_completion_handler<signature>>(std::move(handler));
          auto slot = asio::get_associated_cancellation_slot(*h);
          if (slot.is_connected()) {
            slot.assign([h](asio::cancellation_type) {
              if (!*h) return;
              pgfns::result r;
              r.diag.message = "cancelled";
              std::exchange(*h, nullptr)(asio::error::operation_aborted, std::move(r));
            });
            return;  // completes only when cancelled
          }
          asio::post(ioc, [h, code] {
            pgfns::result r;
            if (code) {
              r.diag = server_diagnostics();
            } else {
              r.rows.push_back(boost::json::object{{"id", 1}});
            }
            std::move (*h)(code, std::move(r));
          });
        },
        token, ec);
  }
};

// Runs `body` as a coroutine on a fresh io_context until it ends; rethrows what it throws.
void run(std::function<asio::awaitable<void>(fake_call&)> body) {
  asio::io_context ioc;
  fake_call call{ioc};
  std::exception_ptr failure;
  asio::co_spawn(ioc, body(call), [&](std::exception_ptr e) { failure = e; });
  ioc.run();
  if (failure) std::rethrow_exception(failure);
}

void check_server_diagnostics(const pgfns::error& e) {
  BOOST_TEST(e.code() == unique_violation);
  BOOST_TEST(e.diag().sqlstate == "23505");
  BOOST_TEST(e.diag().message == server_diagnostics().message);
  BOOST_TEST(e.diag().detail == "Key (id)=(1) already exists.");
  BOOST_TEST(e.diag().hint == "choose another id");
  BOOST_TEST(std::string(e.what()).find("choose another id") != std::string::npos);
}

// Awaits `op` and checks that it throws pgfns::error with the server's diagnostics.
template <class Awaitable>
asio::awaitable<void> expect_pgfns_error(Awaitable op) {
  try {
    co_await std::move(op);
    BOOST_FAIL("no exception");
  } catch (const pgfns::error& e) {
    check_server_diagnostics(e);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(with_diagnostics_adapter)

BOOST_AUTO_TEST_CASE(use_awaitable_throws_pgfns_error_with_the_server_message_detail_and_hint) {
  run([](fake_call& call) -> asio::awaitable<void> {
    co_await expect_pgfns_error(call(unique_violation, with_diagnostics(asio::use_awaitable)));
    const pgfns::result r = co_await call(error_code(), with_diagnostics(asio::use_awaitable));
    BOOST_TEST(r.size() == 1u);
  });
}

BOOST_AUTO_TEST_CASE(without_the_adapter_use_awaitable_throws_the_code_only) {
  run([](fake_call& call) -> asio::awaitable<void> {
    try {
      co_await call(unique_violation, asio::use_awaitable);
      BOOST_FAIL("no exception");
    } catch (const boost::system::system_error& e) {
      BOOST_TEST(e.code() == unique_violation);
      BOOST_TEST(!dynamic_cast<const pgfns::error*>(&e));
    }
  });
}

BOOST_AUTO_TEST_CASE(deferred_awaited_in_a_coroutine_throws_pgfns_error) {
  run([](fake_call& call) -> asio::awaitable<void> {
    try {
      co_await call(unique_violation, with_diagnostics(asio::deferred));
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      check_server_diagnostics(e);
    }
    const pgfns::result r = co_await call(error_code(), with_diagnostics(asio::deferred));
    BOOST_TEST(r.size() == 1u);
  });
}

BOOST_AUTO_TEST_CASE(a_deferred_operation_given_a_callback_passes_the_exception_and_the_result) {
  asio::io_context ioc;
  fake_call call{ioc};
  auto op = call(unique_violation, with_diagnostics(asio::deferred));
  bool done = false;
  std::move(op)([&](std::exception_ptr e, pgfns::result r) {
    done = true;
    BOOST_REQUIRE(e);
    BOOST_TEST(r.diag.hint == "choose another id");  // the result keeps its diagnostics too
    try {
      std::rethrow_exception(e);
    } catch (const pgfns::error& err) {
      check_server_diagnostics(err);
    }
  });
  ioc.run();
  BOOST_TEST(done);
}

BOOST_AUTO_TEST_CASE(use_future_throws_pgfns_error_from_get) {
  asio::io_context ioc;
  fake_call call{ioc};
  auto failed = call(unique_violation, with_diagnostics(asio::use_future));
  auto succeeded = call(error_code(), with_diagnostics(asio::use_future));
  std::thread runner([&] { ioc.run(); });
  try {
    failed.get();
    BOOST_FAIL("no exception");
  } catch (const pgfns::error& e) {
    check_server_diagnostics(e);
  }
  BOOST_TEST(succeeded.get().size() == 1u);
  runner.join();
}

BOOST_AUTO_TEST_CASE(callbacks_still_receive_the_error_code_and_the_result) {
  asio::io_context ioc;
  fake_call call{ioc};
  int calls = 0;
  auto check = [&](error_code ec, pgfns::result r) {
    ++calls;
    BOOST_TEST(ec == unique_violation);
    BOOST_TEST(r.diag.detail == "Key (id)=(1) already exists.");
  };
  call(unique_violation, with_diagnostics(check));
  call(unique_violation, check);
  ioc.run();
  BOOST_TEST(calls == 2);
}

BOOST_AUTO_TEST_CASE(as_tuple_and_redirect_error_still_receive_the_error_code) {
  run([](fake_call& call) -> asio::awaitable<void> {
    auto [ec, r] =
        co_await call(unique_violation, with_diagnostics(asio::as_tuple(asio::use_awaitable)));
    BOOST_TEST(ec == unique_violation);
    BOOST_TEST(r.diag.hint == "choose another id");
    auto [ec2, r2] =
        co_await call(unique_violation, with_diagnostics(asio::as_tuple(asio::deferred)));
    BOOST_TEST(ec2 == unique_violation);
    BOOST_TEST(r2.diag.sqlstate == "23505");
    error_code redirected;
    const pgfns::result r3 = co_await call(
        unique_violation, with_diagnostics(asio::redirect_error(asio::use_awaitable, redirected)));
    BOOST_TEST(redirected == unique_violation);
    BOOST_TEST(r3.diag.message == server_diagnostics().message);
  });
}

// The adapter's handler must show the operation the cancellation slot of the handler it wraps,
// whichever of the two wraps the other; otherwise the cancel would never reach the operation.
BOOST_AUTO_TEST_CASE(a_bound_cancellation_slot_reaches_the_operation) {
  run([](fake_call& call) -> asio::awaitable<void> {
    const auto ex = co_await asio::this_coro::executor;
    for (const bool adapter_outside : {true, false}) {
      asio::cancellation_signal signal;
      asio::post(ex, [&] { signal.emit(asio::cancellation_type::terminal); });
      try {
        if (adapter_outside) {
          co_await call(unique_violation, with_diagnostics(asio::bind_cancellation_slot(
                                              signal.slot(), asio::use_awaitable)));
        } else {
          co_await call(
              unique_violation,
              asio::bind_cancellation_slot(signal.slot(), with_diagnostics(asio::use_awaitable)));
        }
        BOOST_FAIL("no exception");
      } catch (const pgfns::error& e) {
        BOOST_TEST(e.code() == asio::error::operation_aborted);
        BOOST_TEST(e.diag().message == "cancelled");
      }
    }
  });
}

// async_start's completion, void(error_code, diagnostics), is adapted the same way.
BOOST_AUTO_TEST_CASE(a_completion_with_diagnostics_alone_is_adapted_too) {
  run([](fake_call& call) -> asio::awaitable<void> {
    auto start = [&](error_code ec, auto token) {
      return asio::async_initiate<decltype(token), void(error_code, pgfns::diagnostics)>(
          [&call](auto handler, error_code code) {
            asio::post(call.ioc, [h = std::move(handler), code]() mutable {
              std::move(h)(code, server_diagnostics());
            });
          },
          token, ec);
    };
    try {
      co_await start(unique_violation, with_diagnostics(asio::deferred));
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      check_server_diagnostics(e);
    }
    const pgfns::diagnostics d =
        co_await start(error_code(), with_diagnostics(asio::use_awaitable));
    BOOST_TEST(d.method == "add_item");
  });
}

BOOST_AUTO_TEST_CASE(the_tokens_that_throw_are_known) {
  using pgfns::detail::throws_on_error;
  using slot_binder =
      decltype(asio::bind_cancellation_slot(asio::cancellation_slot(), asio::use_awaitable));
  static_assert(throws_on_error<asio::use_awaitable_t<>>::value);
  static_assert(throws_on_error<asio::deferred_t>::value);
  static_assert(throws_on_error<asio::use_future_t<>>::value);
  static_assert(throws_on_error<slot_binder>::value);
  static_assert(!throws_on_error<decltype(asio::as_tuple(asio::use_awaitable))>::value);
  static_assert(!throws_on_error<asio::detached_t>::value);
  static_assert(!throws_on_error<pgfns::with_diagnostics_t<asio::deferred_t>>::value);
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_SUITE_END()
