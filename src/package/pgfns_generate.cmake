# pgfns_generate(TARGET tgt DB dir SERVICE name NAMESPACE ns [OUTPUT_DIR dir])
#
# Generates the typed bindings of service `name` (`pgfns generate`) into OUTPUT_DIR/<name>.hpp
# (default: <current binary dir>/pgfns_bindings) and lets `tgt` include it as "<name>.hpp".
# The header is made again when a file under `dir` changes (or appears, after CMake runs
# again: the list of files is checked at every build) and when the tool does; it is rewritten
# only when its content changes, so that an edit of db/ that leaves it as it was recompiles
# nothing. Runs pgfns::cli: the tool this build makes (the top-level CMakeLists.txt) or the one
# installed with the package (pgfnsConfig.cmake).
function(pgfns_generate)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;DB;SERVICE;NAMESPACE;OUTPUT_DIR" "")
  foreach(required IN ITEMS TARGET DB SERVICE NAMESPACE)
    if(NOT arg_${required})
      message(FATAL_ERROR "pgfns_generate: ${required} is missing (usage: pgfns_generate(TARGET "
                          "tgt DB dir SERVICE name NAMESPACE ns [OUTPUT_DIR dir]))")
    endif()
  endforeach()
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "pgfns_generate: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${arg_TARGET})
    message(FATAL_ERROR "pgfns_generate: ${arg_TARGET} is not a target")
  endif()
  if(NOT TARGET pgfns::cli)
    message(FATAL_ERROR "pgfns_generate: the pgfns tool is not there (build pgfns with "
                        "PGFNS_BUILD_CLI=ON, or install it with the tool)")
  endif()
  if(NOT arg_OUTPUT_DIR)
    set(arg_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/pgfns_bindings)
  endif()
  get_filename_component(db ${arg_DB} ABSOLUTE)
  get_filename_component(out_dir ${arg_OUTPUT_DIR} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_BINARY_DIR})
  if(NOT IS_DIRECTORY ${db})
    message(FATAL_ERROR "pgfns_generate: DB ${arg_DB} is not a directory")
  endif()
  set(header ${out_dir}/${arg_SERVICE}.hpp)

  # One command per header: a second target using the same header in this directory shares it.
  get_property(made GLOBAL PROPERTY "pgfns_generate:${header}")
  if(made)
    if(NOT made STREQUAL "${CMAKE_CURRENT_SOURCE_DIR}|${db}|${arg_NAMESPACE}")
      message(FATAL_ERROR "pgfns_generate: ${header} is already generated elsewhere or from "
                          "other arguments; give this call an OUTPUT_DIR of its own")
    endif()
  else()
    set_property(GLOBAL PROPERTY "pgfns_generate:${header}"
                 "${CMAKE_CURRENT_SOURCE_DIR}|${db}|${arg_NAMESPACE}")
    file(GLOB_RECURSE db_files CONFIGURE_DEPENDS ${db}/*)
    # The stamp is the command's output and the header a byproduct, so that a header left
    # unchanged keeps its time and what includes it is not compiled again.
    add_custom_command(OUTPUT ${header}.stamp
      BYPRODUCTS ${header}
      COMMAND pgfns::cli generate --db ${db} --service ${arg_SERVICE}
              --namespace ${arg_NAMESPACE} --out ${out_dir}
      COMMAND ${CMAKE_COMMAND} -E touch ${header}.stamp
      DEPENDS ${db_files} pgfns::cli
      COMMENT "Generating the pgfns bindings ${header}"
      VERBATIM)
  endif()
  target_sources(${arg_TARGET} PRIVATE ${header} ${header}.stamp)
  target_include_directories(${arg_TARGET} PUBLIC ${out_dir})
endfunction()
