# Extracts every ```cpp block of a markdown file into one C++ source, so that the build compiles
# the documentation's examples as it compiles the library.
#
#   cmake -DMARKDOWN=README.md -DOUTPUT=readme_snippets.cpp -P readme_snippets.cmake
#
# Each block becomes its own namespace, and its lines are preceded by a #line directive naming
# the markdown file and line, so a compiler error points into the markdown. An HTML comment as
# the last non-blank line before the fence chooses what the block is:
#
#   (none)                            declarations at namespace scope
#   <!-- snippet: function -->        the body of `void run(asio::io_context& ioc)`
#   <!-- snippet: coroutine -->       the body of `asio::awaitable<void> run(asio::io_context&
#                                     ioc, pgfns::database& db)`; the block may declare its own db
#
# In every block, `asio` and `json` name boost::asio and boost::json, and the public pgfns
# headers are included, and so are the headers -DINCLUDES lists (say, generated bindings). The source also defines readme_snippet_lines(): the markdown line of
# each block's fence, which a unit test compares with the fences it finds itself.
#
# Fails, naming the markdown line, on anything it cannot place: a C++ block under another name
# (```c++, ```cxx, ```cpp with more words), an unknown context, a snippet comment not followed
# by a ```cpp block, or a block never closed. The output is rewritten only when it changes.
cmake_minimum_required(VERSION 3.25)

if(NOT MARKDOWN OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DMARKDOWN=FILE.md -DOUTPUT=FILE.cpp -P ${CMAKE_CURRENT_LIST_FILE}")
endif()
get_filename_component(MARKDOWN "${MARKDOWN}" ABSOLUTE)
get_filename_component(OUTPUT "${OUTPUT}" ABSOLUTE)

# Read the file as a list of lines. Characters CMake lists treat specially are swapped for
# placeholders first (and back when written out), so every line, empty or not, stays one item.
string(ASCII 1 esc)
file(READ "${MARKDOWN}" text)
if(text MATCHES "${esc}")
  message(FATAL_ERROR "${MARKDOWN}: holds a control character (U+0001)")
endif()
string(REPLACE ";" "${esc}s" text "${text}")
string(REPLACE "[" "${esc}l" text "${text}")
string(REPLACE "]" "${esc}r" text "${text}")
string(REPLACE "\\" "${esc}b" text "${text}")
string(REPLACE "\r\n" "\n" text "${text}")
string(REGEX REPLACE "\n$" "" text "${text}")
string(REPLACE "\n" ";" lines "${text}")

function(restore out in)
  set(s "${in}")
  string(REPLACE "${esc}s" ";" s "${s}")
  string(REPLACE "${esc}l" "[" s "${s}")
  string(REPLACE "${esc}r" "]" s "${s}")
  string(REPLACE "${esc}b" "\\" s "${s}")
  set(${out} "${s}" PARENT_SCOPE)
endfunction()

# The generated source, and its line count (for the #line directives that lead back to it).
set(out "")
set(out_lines 0)
function(emit line)
  set(out "${out}${line}\n" PARENT_SCOPE)
  math(EXPR n "${out_lines} + 1")
  set(out_lines ${n} PARENT_SCOPE)
endfunction()
# Appends `text` (`count` lines, from markdown line `first_line`), then `tail` (the wrapper's
# closing text, on one line, so that an error the compiler reports there, such as GCC 12's
# "array used as initializer" at a coroutine's end, names the block's closing fence), then
# returns to this file's own line numbers.
function(emit_snippet text count first_line tail)
  set(s "${out}#line ${first_line} \"${MARKDOWN}\"\n${text}")
  string(APPEND s "${tail}\n")
  math(EXPR n "${out_lines} + 1 + ${count} + 1 + 1")
  math(EXPR next "${n} + 1")
  set(out "${s}#line ${next} \"${OUTPUT}\"\n" PARENT_SCOPE)
  set(out_lines ${n} PARENT_SCOPE)
endfunction()

get_filename_component(md_name "${MARKDOWN}" NAME)
emit("// Generated from ${md_name} by test/unit/docs/readme_snippets.cmake: do not edit.")
emit("#include <pgfns/access_check.hpp>")
emit("#include <pgfns/database.hpp>")
emit("#include <pgfns/database_options.hpp>")
emit("#include <pgfns/error.hpp>")
emit("#include <pgfns/ignore_sqlstates.hpp>")
emit("#include <pgfns/keyring.hpp>")
emit("#include <pgfns/migration_plan.hpp>")
emit("#include <pgfns/monitor.hpp>")
emit("#include <pgfns/pages.hpp>")
emit("#include <pgfns/redact.hpp>")
emit("#include <pgfns/result.hpp>")
emit("#include <pgfns/schema.hpp>")
emit("#include <pgfns/schema_docs.hpp>")
emit("#include <pgfns/schema_error.hpp>")
emit("#include <pgfns/sqlstate.hpp>")
emit("#include <pgfns/testing.hpp>")
emit("#include <pgfns/upgrade.hpp>")
emit("#include <pgfns/value.hpp>")
foreach(header IN LISTS INCLUDES)
  emit("#include <${header}>")
endforeach()
emit("")
emit("#include <boost/asio/as_tuple.hpp>")
emit("#include <boost/asio/awaitable.hpp>")
emit("#include <boost/asio/co_spawn.hpp>")
emit("#include <boost/asio/deferred.hpp>")
emit("#include <boost/asio/detached.hpp>")
emit("#include <boost/asio/executor_work_guard.hpp>")
emit("#include <boost/asio/io_context.hpp>")
emit("#include <boost/asio/use_future.hpp>")
emit("#include <boost/json.hpp>")
emit("")
emit("#include <iostream>")
emit("#include <memory>")
emit("#include <string>")
emit("#include <thread>")
emit("#include <vector>")
emit("")
emit("namespace asio = boost::asio;")
emit("namespace json = boost::json;")
emit("")

set(number 0)        # markdown line number
set(fence "")        # the open fence's backticks or tildes; empty outside a fenced block
set(in_cpp FALSE)    # inside a ```cpp block
set(indent 0)        # the open fence's indentation, removed from each line of its block
set(context "")      # the context named by the last snippet comment, until its block ends
set(context_line 0)
set(fence_lines "")  # markdown line of each ```cpp fence
set(fence_line 0)    # that of the block being read, and its text
set(snippet "")
set(snippet_count 0)

macro(misplaced_comment)
  message(FATAL_ERROR "${MARKDOWN}:${context_line}: <!-- snippet: ${context} --> must come "
                      "right before a ```cpp block")
endmacro()

foreach(raw IN LISTS lines)
  math(EXPR number "${number} + 1")
  restore(line "${raw}")

  if(NOT fence STREQUAL "")
    # Inside a fenced block: only a closing fence (the same character, at least as many, nothing
    # after them) ends it.
    string(STRIP "${line}" stripped)
    if(stripped MATCHES "^(```+|~~~+)$" AND CMAKE_MATCH_1 MATCHES "^${fence}")
      if(in_cpp)
        set(ns "readme_snippet_${fence_line}")
        math(EXPR first "${fence_line} + 1")
        emit("namespace ${ns} {")
        if(context STREQUAL "")
          emit_snippet("${snippet}" ${snippet_count} ${first} "}  // namespace ${ns}")
        elseif(context STREQUAL "function")
          emit("void run([[maybe_unused]] asio::io_context& ioc) {")
          emit_snippet("${snippet}" ${snippet_count} ${first} "}}  // namespace ${ns}")
        else()  # coroutine
          emit("asio::awaitable<void> run([[maybe_unused]] asio::io_context& ioc,")
          emit("                          [[maybe_unused]] pgfns::database& db) {")
          emit("{")
          emit_snippet("${snippet}" ${snippet_count} ${first} "} co_return; }}  // namespace ${ns}")
        endif()
        emit("")
        set(context "")
      endif()
      set(fence "")
      set(in_cpp FALSE)
    elseif(in_cpp)
      # Remove the fence's indentation (a block inside a list item).
      string(REGEX MATCH "^ +" spaces "${line}")
      string(LENGTH "${spaces}" cut)
      if(cut GREATER indent)
        set(cut ${indent})
      endif()
      string(SUBSTRING "${line}" ${cut} -1 line)
      string(APPEND snippet "${line}\n")
      math(EXPR snippet_count "${snippet_count} + 1")
    endif()
    continue()
  endif()

  if(line MATCHES "^( *)(```+|~~~+)(.*)$")
    string(LENGTH "${CMAKE_MATCH_1}" indent)
    set(fence "${CMAKE_MATCH_2}")
    string(STRIP "${CMAKE_MATCH_3}" info)
    string(TOLOWER "${info}" info_lower)
    if(info STREQUAL "cpp")
      set(in_cpp TRUE)
      set(fence_line ${number})
      set(snippet "")
      set(snippet_count 0)
      list(APPEND fence_lines ${number})
    elseif(info_lower MATCHES "^(c\\+\\+|cxx|cc|hpp|h\\+\\+|cpp[^a-z0-9].*|c\\+\\+[^a-z0-9].*)$")
      message(FATAL_ERROR "${MARKDOWN}:${number}: a C++ block must open with exactly ```cpp "
                          "(not ```${info}) so that the build compiles it")
    elseif(NOT context STREQUAL "")
      misplaced_comment()
    endif()
    continue()
  endif()

  if(line MATCHES "^[ \t]*<!--[ \t]*snippet:[ \t]*([^ \t]*)[ \t]*-->[ \t]*$")
    set(name "${CMAKE_MATCH_1}")
    if(NOT name MATCHES "^(function|coroutine)$")
      message(FATAL_ERROR "${MARKDOWN}:${number}: unknown snippet context \"${name}\" (known: "
                          "function, coroutine; no comment for declarations at namespace scope)")
    endif()
    if(NOT context STREQUAL "")
      misplaced_comment()
    endif()
    set(context "${name}")
    set(context_line ${number})
  elseif(line MATCHES "^[ \t]*<!--[ \t]*snippet")
    message(FATAL_ERROR "${MARKDOWN}:${number}: write a snippet comment alone on its line, as "
                        "<!-- snippet: NAME -->")
  elseif(NOT line MATCHES "^[ \t]*$" AND NOT context STREQUAL "")
    misplaced_comment()
  endif()
endforeach()

if(in_cpp)
  message(FATAL_ERROR "${MARKDOWN}:${fence_line}: this ```cpp block is never closed")
endif()
if(NOT context STREQUAL "")
  misplaced_comment()
endif()

list(JOIN fence_lines ", " fence_list)
emit("// The line of each ```cpp fence in ${md_name}, in order.")
emit("namespace pgfns::test {")
emit("const std::vector<int>& readme_snippet_lines() {")
emit("  static const std::vector<int> lines{${fence_list}};")
emit("  return lines;")
emit("}")
emit("}  // namespace pgfns::test")

file(WRITE "${OUTPUT}.new" "${out}")
file(COPY_FILE "${OUTPUT}.new" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.new")
