// The option parser every `pgfns` command uses, tested in-process on a command with every kind
// of option (shaped like `pgfns call`).
#include "options.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>

using pgfns::cli::command_spec;
using pgfns::cli::parse;
using pgfns::cli::usage_error;

namespace {

const command_spec spec{
    .name = "demo run",
    .summary = "a command for the tests",
    .description = "Runs nothing.",
    .options =
        {{.name = "db", .value_name = "DIR", .help = "schema directory", .required = true},
         {.name = "to", .value_name = "N", .help = "target version"},
         {.name = "lag", .value_name = "SECONDS", .help = "lag bound"},
         {.name = "dry-run", .help = "change nothing"},
         {.name = "named", .value_name = "JSON", .help = "named argument", .repeatable = true}},
    .positionals = {{.name = "METHOD", .help = "method name"},
                    {.name = "ARG", .help = "arguments", .required = false, .variadic = true}}};

pgfns::cli::parsed_args run(std::vector<std::string> args) {
  return parse(spec, args);
}

// The message of the usage_error that parsing `args` throws.
std::string usage_message(std::vector<std::string> args) {
  try {
    run(std::move(args));
  } catch (const usage_error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_options)

BOOST_AUTO_TEST_CASE(values_flags_and_positionals) {
  const auto a = run({"--db", "db", "get_product", "--to=3", "--dry-run", "1", "x"});
  BOOST_TEST(*a.value("db") == "db");
  BOOST_TEST(*a.integer("to") == 3);
  BOOST_TEST(a.flag("dry-run"));
  BOOST_TEST(!a.help());
  BOOST_TEST(a.positionals() == (std::vector<std::string>{"get_product", "1", "x"}));

  const auto b = run({"--db=", "m"});
  BOOST_TEST(*b.value("db") == "");
  BOOST_TEST(!b.value("to").has_value());
  BOOST_TEST(!b.integer("to").has_value());
  BOOST_TEST(!b.flag("dry-run"));
  BOOST_TEST(b.values("named").empty());
}

BOOST_AUTO_TEST_CASE(repeated_options_keep_every_value_in_order) {
  const auto a = run({"--named", "{\"a_in\":1}", "--db", "d", "m", "--named={\"b_in\":2}"});
  BOOST_TEST(a.values("named") == (std::vector<std::string>{"{\"a_in\":1}", "{\"b_in\":2}"}));
  BOOST_TEST(*a.value("named") == "{\"b_in\":2}");
}

BOOST_AUTO_TEST_CASE(single_dash_words_and_words_after_double_dash_are_positional) {
  const auto a = run({"--db", "d", "m", "-1", "-", "--", "--to", "--help"});
  BOOST_TEST(a.positionals() == (std::vector<std::string>{"m", "-1", "-", "--to", "--help"}));
  BOOST_TEST(!a.value("to").has_value());
  BOOST_TEST(!a.help());
  // A value that looks like an option is still the value of the option before it.
  BOOST_TEST(*run({"--db", "--to", "m"}).value("db") == "--to");
}

BOOST_AUTO_TEST_CASE(help_skips_the_other_checks) {
  BOOST_TEST(run({"--help"}).help());
  BOOST_TEST(run({"-h", "a", "b"}).help());
  BOOST_TEST(run({"--to", "x", "--help"}).help());
}

BOOST_AUTO_TEST_CASE(usage_errors_name_the_option_and_the_command) {
  BOOST_TEST(usage_message({"--db", "d", "m", "--x"}) == "unknown option --x for 'pgfns demo run'");
  BOOST_TEST(usage_message({"--db", "d", "m", "--x=1"}) ==
             "unknown option --x for 'pgfns demo run'");
  BOOST_TEST(usage_message({"m", "--db"}) ==
             "option --db of 'pgfns demo run' needs a value (--db DIR)");
  BOOST_TEST(usage_message({"--db", "d", "m", "--dry-run=yes"}) ==
             "option --dry-run of 'pgfns demo run' is a flag and takes no value");
  BOOST_TEST(usage_message({"--db", "d", "--db", "e", "m"}) ==
             "option --db of 'pgfns demo run' is given more than once");
  BOOST_TEST(usage_message({"m"}) == "missing required option --db DIR for 'pgfns demo run'");
  BOOST_TEST(
      usage_message({"--db", "d"}) ==
      "missing argument METHOD for 'pgfns demo run' (usage: " + pgfns::cli::usage_line(spec) + ")");
  for (const char* bad : {"x", "", "3x", "1.5", "99999999999999999999"}) {
    BOOST_TEST(usage_message({"--db", "d", "m", "--to", bad}) == "(no error)");
    BOOST_CHECK_THROW(run({"--db", "d", "m", "--to", bad}).integer("to"), usage_error);
  }
}

BOOST_AUTO_TEST_CASE(seconds_are_decimal_numbers_to_the_millisecond) {
  const auto lag = [](const std::string& text) {
    return run({"--db", "d", "m", "--lag", text}).seconds("lag");
  };
  using std::chrono::milliseconds;
  BOOST_TEST(!run({"--db", "d", "m"}).seconds("lag").has_value());
  BOOST_TEST((lag("0") == milliseconds(0)));  // `pgfns call`: no bound
  BOOST_TEST((lag("1") == milliseconds(1000)));
  BOOST_TEST((lag("0.5") == milliseconds(500)));
  BOOST_TEST((lag("2.25") == milliseconds(2250)));
  BOOST_TEST((lag("0.001") == milliseconds(1)));
  BOOST_TEST((lag(".5") == milliseconds(500)));
  BOOST_TEST((lag("3.") == milliseconds(3000)));
  BOOST_TEST((lag("007") == milliseconds(7000)));
  BOOST_TEST((lag("31622400000") == milliseconds(31622400000LL * 1000)));
  // The value comes after the option even when it looks like one.
  BOOST_TEST(usage_message({"--db", "d", "m", "--lag", "-1"}) == "(no error)");
  const auto error_of = [&](const std::string& text) {
    try {
      lag(text);
    } catch (const usage_error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  BOOST_TEST(error_of("-1") ==
             "option --lag of 'pgfns demo run' expects a number of seconds, 0 or more, with at "
             "most 3 decimals (e.g. 1 or 2.5), not '-1'");
  for (const char* bad : {"", ".", "+1", "1e3", "inf", "nan", " 1", "1 ", "0.0001", "0.5000",
                          "1.5.", "1,5", "0x10", "one", "5s"}) {
    BOOST_TEST(error_of(bad).find("expects a number of seconds") != std::string::npos,
               "'" << bad << "': " << error_of(bad));
  }
  for (const char* big : {"31622400001", "99999999999999999999"}) {
    BOOST_TEST(error_of(big) == "option --lag of 'pgfns demo run' is too large: '" +
                                    std::string(big) + "' (at most 31622400000 seconds)");
  }
}

BOOST_AUTO_TEST_CASE(too_many_positionals) {
  const command_spec one{.name = "one", .positionals = {{.name = "PATH"}}};
  try {
    parse(one, std::vector<std::string>{"a", "b"});
    BOOST_FAIL("expected a usage error");
  } catch (const usage_error& e) {
    BOOST_TEST(std::string(e.what()) ==
               "unexpected argument 'b' for 'pgfns one' (usage: pgfns one PATH)");
  }
}

BOOST_AUTO_TEST_CASE(asking_for_an_undeclared_option_is_a_bug) {
  BOOST_CHECK_THROW(run({"--db", "d", "m"}).flag("verbose"), std::logic_error);
}

BOOST_AUTO_TEST_CASE(usage_line_and_help_show_every_option) {
  BOOST_TEST(
      pgfns::cli::usage_line(spec) ==
      "pgfns demo run --db DIR [--to N] [--lag SECONDS] [--dry-run] [--named JSON]... METHOD "
      "[ARG ...]");
  const std::string help = pgfns::cli::help_text(spec);
  BOOST_TEST(help.starts_with("usage: " + pgfns::cli::usage_line(spec) + "\n\nRuns nothing.\n"));
  for (const char* part : {"--db DIR", "schema directory (required)", "--to N", "--dry-run",
                           "named argument (may be repeated)", "METHOD", "ARG", "--help"}) {
    BOOST_TEST(help.find(part) != std::string::npos, part);
  }
}

// An option with `env` takes the variable's value when it is not given: `required` is then met,
// and the command line still wins.
BOOST_AUTO_TEST_CASE(an_environment_variable_stands_in_for_an_absent_option) {
  const command_spec with_env{.name = "demo env",
                              .options = {{.name = "url",
                                           .value_name = "URL",
                                           .help = "the server",
                                           .required = true,
                                           .env = "PGFNS_TEST_DEMO_URL"},
                                          {.name = "read",
                                           .value_name = "URL",
                                           .help = "a reader",
                                           .repeatable = true,
                                           .env = "PGFNS_TEST_DEMO_READ"}}};
  const auto parse_env = [&](std::vector<std::string> args) { return parse(with_env, args); };
  ::unsetenv("PGFNS_TEST_DEMO_URL");
  ::unsetenv("PGFNS_TEST_DEMO_READ");
  try {
    parse_env({});
    BOOST_FAIL("expected a usage error");
  } catch (const usage_error& e) {
    BOOST_TEST(std::string(e.what()) ==
               "missing required option --url URL for 'pgfns demo env' (or set "
               "PGFNS_TEST_DEMO_URL in the environment)");
  }
  BOOST_TEST(parse_env({"--url", "u"}).values("read").empty());

  ::setenv("PGFNS_TEST_DEMO_URL", "", 1);  // empty counts as unset
  BOOST_CHECK_THROW(parse_env({}), usage_error);

  ::setenv("PGFNS_TEST_DEMO_URL", "postgresql://from-env/db", 1);
  ::setenv("PGFNS_TEST_DEMO_READ", "postgresql://reader/db", 1);
  const auto a = parse_env({});
  BOOST_TEST(*a.value("url") == "postgresql://from-env/db");
  BOOST_TEST(a.values("read") == (std::vector<std::string>{"postgresql://reader/db"}));
  const auto b = parse_env({"--url", "postgresql://given/db", "--read", "r1", "--read", "r2"});
  BOOST_TEST(*b.value("url") == "postgresql://given/db");
  BOOST_TEST(b.values("read") == (std::vector<std::string>{"r1", "r2"}));
  ::unsetenv("PGFNS_TEST_DEMO_URL");
  ::unsetenv("PGFNS_TEST_DEMO_READ");

  const std::string help = pgfns::cli::help_text(with_env);
  BOOST_TEST(help.find("(required unless $PGFNS_TEST_DEMO_URL is set)") != std::string::npos, help);
  BOOST_TEST(help.find("(default: $PGFNS_TEST_DEMO_READ)") != std::string::npos, help);
}

BOOST_AUTO_TEST_SUITE_END()
