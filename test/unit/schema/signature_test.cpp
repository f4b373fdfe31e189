// A method's `args` parsed into parameters: PostgreSQL's grammar for function parameters
// (modes, unnamed parameters, defaults, multi-word and array types, quoting and comments), the
// rules PostgreSQL applies when the function is created, a clear error for what does not
// parse, and every method of the Taskcluster schema.
#include "schema/signature.hpp"

#include <pgfns/schema.hpp>

#include "schema_test_paths.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using pgfns::detail::parameter;
using pgfns::detail::parameter_mode;
using pgfns::detail::parse_signature;
using pgfns::detail::signature;

namespace {

// "name type" of each parameter, with " = default", a mode other than IN, for comparisons.
std::vector<std::string> summary(const signature& s) {
  std::vector<std::string> out;
  for (const parameter& p : s.parameters) {
    std::string line;
    if (p.mode != parameter_mode::in) line = std::string(to_string(p.mode)) + ' ';
    line += p.name.empty() ? "-" : p.name;
    line += " : " + p.type;
    if (p.has_default) line += " = default";
    out.push_back(line);
  }
  return out;
}

using lines = std::vector<std::string>;

struct bad_args {
  const char* args;
  const char* phrase;  // part of the message
};

std::ostream& operator<<(std::ostream& os, const bad_args& b) {
  return os << b.args;
}

const bad_args refused[] = {
    // What does not parse.
    {"a int,", "parameter 2 is empty (a comma too many?)"},
    {", a int", "parameter 1 is empty"},
    {"a int,, b int", "parameter 2 is empty"},
    {"a numeric(10", "parameter 1 (\"a numeric(10\"): \"(\" is never closed"},
    {"a int)", "\")\" closes nothing"},
    {"a int[)", "\")\" closes \"[\""},
    {"a text default 'x", "string is never closed"},
    {"a text default E'x\\'", "string is never closed"},
    {"\"a int", "quoted name is never closed"},
    {"\"\" int", "empty quoted name"},
    {"a int /* x", "comment \"/*\" is never closed"},
    {"a text default $x$abc$y$", "dollar-quoted string $x$ is never closed"},
    {"a text default $ 1", "unexpected \"$\""},
    {"a int; drop table x", "\";\" has no place in an argument list"},
    {"a int {}", "unexpected \"{\""},
    {"a\x01 int", "unexpected byte 0x01"},
    {"a int, b int\\", "parameter 2 (\"b int\\\"): unexpected \"\\\""},
    {"a_in integer b_in text", "\"integer b_in text\" is not a type (is a comma missing?)"},
    {"a_in integer, b_in text c_in", "parameter 2 (\"b_in text c_in\")"},
    {"a int default", "\"default\" without a value"},
    {"a int =", "\"=\" without a value"},
    {"default 1", "no type"},
    {"= 1", "no type"},
    {"out", "no type after out"},
    {"'x' int", "expected a name or a type, found \"'x'\""},
    {"(a int)", "expected a name or a type, found \"(\""},
    {"a setof integer", "\"setof integer\" is not a type"},
    {"a in", "\"in\" is not a type"},
    // What PostgreSQL refuses when the function is created.
    {"out a int default 1", "parameter 1 (a): an OUT parameter cannot have a default"},
    {"a int default 1, b int",
     "parameter 2 (b): has no default, but parameter 1 before it has one"},
    {"variadic a int[], b int",
     "parameter 1 (a): VARIADIC must be the last input parameter, and parameter 2 follows it"},
    {"variadic a int[], variadic b int[]", "VARIADIC must be the last input parameter"},
    {"a int, A text", "parameter 2 (a): the name a is used by parameter 1 too"},
    {"inout a int, out a int", "the name a is used by parameter 1 too"},
    {"out a int, out a text", "the name a is used by parameter 1 too"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(signature_parsing)

BOOST_AUTO_TEST_CASE(no_parameters) {
  for (const char* args : {"", "  ", "\n\t", "-- nothing", "/* nothing */ "}) {
    const signature s = parse_signature(args);
    BOOST_TEST(s.parameters.empty(), args);
    BOOST_TEST(s.min_args == 0u);
    BOOST_TEST(s.max_args == 0u);
    BOOST_TEST(!s.variadic);
  }
}

BOOST_AUTO_TEST_CASE(names_and_types) {
  const signature s = parse_signature("product_id_in integer, qty_in integer");
  BOOST_TEST(summary(s) == (lines{"product_id_in : integer", "qty_in : integer"}),
             boost::test_tools::per_element());
  BOOST_TEST(s.min_args == 2u);
  BOOST_TEST(s.max_args == 2u);
}

BOOST_AUTO_TEST_CASE(multi_word_and_array_types) {
  const signature s = parse_signature(
      "a double precision, b character varying, c character varying(10)[], "
      "d timestamp with time zone, e timestamp(3) without time zone, f time with time zone, "
      "g interval day to second, h interval(2), i bit varying(5), j national character(3), "
      "k char(3), l double precision[], m integer[3][], n integer array, o integer array[4], "
      "p jsonb[], q timestamptz, r numeric(10,2), s numeric ( 10 , 2 ), t public.my_type, "
      "u users.name%type, v \"My Type\", w public.\"My Type\"[], x interval");
  BOOST_TEST(summary(s) == (lines{"a : double precision",
                                  "b : character varying",
                                  "c : character varying(10)[]",
                                  "d : timestamp with time zone",
                                  "e : timestamp(3) without time zone",
                                  "f : time with time zone",
                                  "g : interval day to second",
                                  "h : interval(2)",
                                  "i : bit varying(5)",
                                  "j : national character(3)",
                                  "k : char(3)",
                                  "l : double precision[]",
                                  "m : integer[3][]",
                                  "n : integer array",
                                  "o : integer array[4]",
                                  "p : jsonb[]",
                                  "q : timestamptz",
                                  "r : numeric(10,2)",
                                  "s : numeric ( 10 , 2 )",
                                  "t : public.my_type",
                                  "u : users.name%type",
                                  "v : \"My Type\"",
                                  "w : public.\"My Type\"[]",
                                  "x : interval"}),
             boost::test_tools::per_element());
}

// A name that starts a multi-word type is still a name when a type follows it.
BOOST_AUTO_TEST_CASE(names_that_look_like_types) {
  const signature s = parse_signature(
      "double double precision, char char(3), time time with time zone, interval interval, "
      "bit bit varying, out out int");
  BOOST_TEST(summary(s) ==
                 (lines{"double : double precision", "char : char(3)", "time : time with time zone",
                        "interval : interval", "bit : bit varying", "out out : int"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unnamed_parameters_are_types_alone) {
  const signature s = parse_signature(
      "integer, double precision, timestamp with time zone, "
      "text[], numeric(10,2), a_in");
  BOOST_TEST(
      summary(s) == (lines{"- : integer", "- : double precision", "- : timestamp with time zone",
                           "- : text[]", "- : numeric(10,2)", "- : a_in"}),
      boost::test_tools::per_element());
  BOOST_TEST(s.min_args == 6u);
}

BOOST_AUTO_TEST_CASE(modes_before_or_after_the_name) {
  const signature s =
      parse_signature("in a int, out b int, inout c int, c_in in text, out int, variadic d int[]");
  BOOST_TEST(summary(s) == (lines{"a : int", "out b : int", "inout c : int", "c_in : text",
                                  "out - : int", "variadic d : int[]"}),
             boost::test_tools::per_element());
  BOOST_TEST(s.variadic);
  BOOST_TEST(s.min_args == 4u);  // a, c, c_in, d: OUT parameters take no argument
  BOOST_TEST(s.max_args == signature::unbounded);
  // An input and an output may share a name; an OUT parameter may follow the VARIADIC one.
  BOOST_TEST(parse_signature("a int, out a int").parameters.size() == 2u);
  BOOST_TEST(parse_signature("variadic a int[], out b int").variadic);
}

BOOST_AUTO_TEST_CASE(defaults_and_what_they_may_contain) {
  const signature s = parse_signature(
      "a int, b int default 5, c text = 'x, y', d int=-1, e numeric DEFAULT (1 + 2) * 3, "
      "f text default $$it's, here$$, g text default $t$a,$$b$t$, h text default E'it\\'s, ok', "
      "i int[] default '{1,2}'::int[], j jsonb default '{}'");
  BOOST_TEST(summary(s) ==
                 (lines{"a : int", "b : int = default", "c : text = default", "d : int = default",
                        "e : numeric = default", "f : text = default", "g : text = default",
                        "h : text = default", "i : int[] = default", "j : jsonb = default"}),
             boost::test_tools::per_element());
  BOOST_TEST(s.min_args == 1u);
  BOOST_TEST(s.max_args == 10u);
  // A VARIADIC parameter with a default takes none or more arguments.
  const signature v = parse_signature("a int, variadic b int[] default '{}'");
  BOOST_TEST(v.min_args == 1u);
  BOOST_TEST(v.max_args == signature::unbounded);
}

BOOST_AUTO_TEST_CASE(names_are_folded_unless_quoted) {
  const signature s = parse_signature(
      "A_IN INTEGER, \"B_in\" text, \"with, comma\" text, \"a\"\"b\" int, "
      "U&\"d\" int, \u00e9t\u00e9_in text");
  BOOST_TEST(summary(s) == (lines{"a_in : INTEGER", "B_in : text", "with, comma : text",
                                  "a\"b : int", "d : int", "\u00e9t\u00e9_in : text"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(comments_and_line_breaks_are_spaces) {
  const signature s = parse_signature(
      "\n  a_in integer, -- the first, with a comma\n  b_in /* x, (y */ timestamp\n"
      "    with time zone,\n  c_in text /* nested /* comment, */ still */\n");
  BOOST_TEST(
      summary(s) == (lines{"a_in : integer", "b_in : timestamp with time zone", "c_in : text"}),
      boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE(what_does_not_parse_is_refused_with_a_reason,
                     boost::unit_test::data::make(refused), bad) {
  try {
    const signature s = parse_signature(bad.args);
    BOOST_ERROR("parsed into " << s.parameters.size() << " parameters");
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    BOOST_TEST(message.find(bad.phrase) != std::string::npos, message);
    BOOST_TEST(message.rfind("parameter ", 0) == 0u, message);
  }
}

// Whatever the text, parsing ends in a signature or std::invalid_argument: every prefix of a
// list using every construct, and copies with one character replaced by one that matters.
BOOST_AUTO_TEST_CASE(damaged_lists_give_errors_or_signatures) {
  const std::string original =
      "in a_in integer, b_in numeric(10,2) default 1.5e-3, \"C\"\"in\" text = E'x\\'y' -- c\n"
      ", out d int, e_in text[] default $t$,$t$ /* e, */, variadic f_in "
      "timestamp(3) with time zone[] default '{}'::timestamptz[]";
  BOOST_TEST_REQUIRE(parse_signature(original).parameters.size() == 6u);
  std::size_t parsed = 0;
  std::size_t tried = 0;
  const auto attempt = [&](const std::string& text) {
    ++tried;
    try {
      (void)parse_signature(text);
      ++parsed;
    } catch (const std::invalid_argument& e) {
      BOOST_TEST(std::string(e.what()).rfind("parameter ", 0) == 0u, e.what());
    }
  };
  for (std::size_t n = 0; n <= original.size(); ++n) attempt(original.substr(0, n));
  for (std::size_t i = 0; i < original.size(); ++i) {
    for (char c : {'(', ')', '[', ']', ',', '\'', '"', '$', '*', '/', '-', '=', '\\', '\0'}) {
      std::string damaged = original;
      damaged[i] = c;
      attempt(damaged);
    }
  }
  BOOST_TEST_MESSAGE(tried << " damaged lists, " << parsed << " parsed");
  BOOST_TEST(parsed > 0u);
  BOOST_TEST(parsed < tried);
}

BOOST_AUTO_TEST_CASE(inputs_are_described_for_messages) {
  using pgfns::detail::describe_inputs;
  BOOST_TEST(describe_inputs(parse_signature("")) == "");
  BOOST_TEST(describe_inputs(parse_signature("product_id_in integer")) == "product_id_in integer");
  BOOST_TEST(describe_inputs(parse_signature(
                 "a_in integer, out x int, b_in text default 'x', variadic c_in text[] = '{}'")) ==
             "a_in integer, [b_in text], [variadic c_in text[]]");
  BOOST_TEST(describe_inputs(parse_signature("integer,\n  double   precision")) ==
             "integer, double precision");
}

// Every definition of every method in every version of the Taskcluster schema parses: each
// parameter named, with one of the types the schema uses, and no default, mode or VARIADIC.
BOOST_AUTO_TEST_CASE(every_taskcluster_method_parses, *pgfns::test::needs_shared()) {
  const auto s = pgfns::schema::from_db_directory(pgfns::test::taskcluster_db());
  std::set<std::string> names;
  std::map<std::string, std::size_t> types;
  std::size_t definitions = 0;
  for (const auto& v : s.versions()) {
    for (const auto& m : v.methods) {
      if (m.stub) continue;
      ++definitions;
      names.insert(m.name);
      signature sig;
      try {
        sig = parse_signature(m.args);
      } catch (const std::invalid_argument& e) {
        BOOST_ERROR("version " << v.number << ", " << m.name << ": " << e.what());
        continue;
      }
      BOOST_TEST(sig.min_args == sig.parameters.size(), m.name);
      BOOST_TEST(sig.max_args == sig.parameters.size(), m.name);
      for (const parameter& p : sig.parameters) {
        BOOST_TEST(!p.name.empty(), m.name);
        BOOST_TEST((p.mode == parameter_mode::in && !p.has_default), m.name);
        ++types[p.type];
      }
    }
  }
  BOOST_TEST(names.size() == 455u);
  BOOST_TEST_MESSAGE(definitions << " definitions of " << names.size() << " methods parsed");
  std::set<std::string> seen;
  for (const auto& [type, count] : types) seen.insert(type);
  BOOST_TEST(seen == (std::set<std::string>{"bigint", "boolean", "int", "integer", "jsonb",
                                            "task_priority", "task_requires", "text", "timestamp",
                                            "timestamptz", "uuid"}),
             boost::test_tools::per_element());
  // One written over several lines (version 28).
  const auto& v28 = s.find_version(28)->methods;
  const auto it = std::find_if(v28.begin(), v28.end(),
                               [](const pgfns::method& m) { return m.name == "create_task"; });
  BOOST_TEST_REQUIRE((it != v28.end()));
  const auto create_task = parse_signature(it->args);
  BOOST_TEST(create_task.parameters.size() == 18u);
  BOOST_TEST(create_task.parameters.at(6).name == "requires");
  BOOST_TEST(create_task.parameters.at(6).type == "task_requires");
}

BOOST_AUTO_TEST_SUITE_END()
