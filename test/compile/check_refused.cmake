# Builds a probe that must not compile and checks how the compiler refuses it:
#
#   cmake -DBUILD_DIR=... -DTARGET=... -DLOG=... -DEXPECT=text [-DEXPECT_ALSO=text] -DMAX_LINES=40
#         -P check_refused.cmake
#
# Passes only when the build of TARGET fails, the compiler's diagnostics (LOG, written by
# capture_stderr.sh) contain EXPECT (and EXPECT_ALSO, when given: a note that says why), hold
# exactly one error, and are shorter than MAX_LINES lines. Otherwise fails, saying which and
# showing the diagnostics.
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS BUILD_DIR TARGET LOG EXPECT MAX_LINES)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "usage: cmake -DBUILD_DIR=DIR -DTARGET=NAME -DLOG=FILE -DEXPECT=TEXT "
                        "-DMAX_LINES=N -P ${CMAKE_CURRENT_LIST_FILE} (${var} is missing)")
  endif()
endforeach()

file(REMOVE "${LOG}")
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target "${TARGET}"
                RESULT_VARIABLE status OUTPUT_VARIABLE build_output ERROR_VARIABLE build_output)
if(status EQUAL 0)
  message(FATAL_ERROR "${TARGET}: compiled, but must be refused")
endif()
if(NOT EXISTS "${LOG}")
  message(FATAL_ERROR "${TARGET}: the build failed before the compiler ran:\n${build_output}")
endif()

file(READ "${LOG}" diagnostics)
file(STRINGS "${LOG}" lines)
list(LENGTH lines line_count)
set(errors 0)
foreach(line IN LISTS lines)
  if(line MATCHES "error: ")
    math(EXPR errors "${errors} + 1")
  endif()
endforeach()

set(problems "")
foreach(expected IN ITEMS EXPECT EXPECT_ALSO)
  if(NOT DEFINED ${expected})
    continue()
  endif()
  string(FIND "${diagnostics}" "${${expected}}" found)
  if(found EQUAL -1)
    string(APPEND problems "\n  the diagnostics lack \"${${expected}}\"")
  endif()
endforeach()
if(NOT errors EQUAL 1)
  string(APPEND problems "\n  ${errors} errors instead of one")
endif()
if(NOT line_count LESS MAX_LINES)
  string(APPEND problems "\n  ${line_count} lines of diagnostics, not fewer than ${MAX_LINES}")
endif()
if(problems)
  message(FATAL_ERROR "${TARGET}: refused, but not as expected:${problems}\n"
                      "--- the compiler's diagnostics ---\n${diagnostics}")
endif()
message(STATUS "${TARGET}: refused with one error in ${line_count} lines")
