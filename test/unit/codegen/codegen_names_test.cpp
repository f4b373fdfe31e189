// C++ identifiers made from SQL names and enum labels, clashes between them, and the literals
// and comments generated code holds.
#include "codegen/cpp_names.hpp"

#include <pgfns/codegen.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

using pgfns::detail::comment_lines;
using pgfns::detail::cpp_identifier;
using pgfns::detail::cpp_string_literal;
using pgfns::detail::name_scope;

BOOST_AUTO_TEST_SUITE(codegen_names)

BOOST_AUTO_TEST_CASE(identifiers_from_names_and_labels) {
  BOOST_TEST(cpp_identifier("task_id") == "task_id");
  BOOST_TEST(cpp_identifier("very-high") == "very_high");
  BOOST_TEST(cpp_identifier("all completed!") == "all_completed_");
  BOOST_TEST(cpp_identifier("a--b") == "a_b");  // never the reserved __
  BOOST_TEST(cpp_identifier("a__b") == "a_b");
  BOOST_TEST(cpp_identifier("_Hidden") == "Hidden");  // never the reserved _X
  BOOST_TEST(cpp_identifier("1st") == "_1st");
  BOOST_TEST(cpp_identifier("-1") == "_1");
  BOOST_TEST(cpp_identifier("MixedCase") == "MixedCase");
  BOOST_TEST(cpp_identifier("caf\xc3\xa9") == "caf_");
  BOOST_TEST(cpp_identifier("\xc3\xa9t\xc3\xa9") == "t_");
  BOOST_TEST(cpp_identifier("---") == "");
  BOOST_TEST(cpp_identifier("") == "");
}

BOOST_AUTO_TEST_CASE(keywords_macros_and_namespaces_get_an_underscore) {
  for (const char* word : {"class", "namespace", "delete", "default", "and", "co_await", "requires",
                           "errno", "assert", "linux", "unix", "NULL", "std", "boost", "pgfns"})
    BOOST_TEST(cpp_identifier(word) == std::string(word) + "_", word);
  BOOST_TEST(cpp_identifier("classes") == "classes");
  BOOST_TEST(cpp_identifier("Class") == "Class");
  // A name the generated code uses in that scope.
  BOOST_TEST(cpp_identifier("db", {"db", "token"}) == "db_");
  BOOST_TEST(cpp_identifier("db") == "db");
}

BOOST_AUTO_TEST_CASE(a_clash_in_one_scope_is_refused_naming_both) {
  name_scope scope("enum task_priority");
  scope.claim("very_high", "label 'very-high'");
  BOOST_TEST(scope.contains("very_high"));
  BOOST_CHECK_EXCEPTION(
      scope.claim("very_high", "label 'very_high'"), pgfns::codegen_error,
      [](const pgfns::codegen_error& e) {
        return std::string(e.what()) ==
               "label 'very_high' and label 'very-high' would both be very_high in enum "
               "task_priority; rename one of them";
      });
  BOOST_CHECK_EXCEPTION(
      scope.claim("", "label '!'"), pgfns::codegen_error, [](const pgfns::codegen_error& e) {
        return std::string(e.what()) == "label '!' gives no C++ name in enum task_priority";
      });
}

BOOST_AUTO_TEST_CASE(string_literals_escape_what_they_must) {
  BOOST_TEST(cpp_string_literal("plain text") == "\"plain text\"");
  BOOST_TEST(cpp_string_literal("a \"b\" \\c") == "\"a \\\"b\\\" \\\\c\"");
  BOOST_TEST(cpp_string_literal("table (\n\ta text\n)") == "\"table (\\n\\ta text\\n)\"");
  BOOST_TEST(cpp_string_literal(std::string("\r\x01\x7f"
                                            "1",
                                            4)) == "\"\\015\\001\\1771\"");
  BOOST_TEST(cpp_string_literal("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
}

BOOST_AUTO_TEST_CASE(comments_stay_comments) {
  BOOST_TEST(comment_lines("one line") == "// one line\n");
  BOOST_TEST(comment_lines("a\n\nb  \r\nc\rd") == "// a\n//\n// b\n// c\n// d\n");
  BOOST_TEST(comment_lines("tab\there\x01") == "// tab here\n");
  // A backslash at the end of a line would continue the comment onto the next line.
  BOOST_TEST(comment_lines("path C:\\\nnext") == "// path C:\\ (end of line)\n// next\n");
  BOOST_TEST(comment_lines("ends with \\ ") == "// ends with \\ (end of line)\n");
}

BOOST_AUTO_TEST_SUITE_END()
