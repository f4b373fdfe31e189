# Extra wiring for the tests of the `pgfns` tool (included by test/CMakeLists.txt).
# cli_test runs the built binary, so it must be built first; cli_options_test links the
# tool's option parser, which is not part of the library.
if(TARGET unit_cli_test)
  add_dependencies(unit_cli_test pgfns_cli)
endif()
if(TARGET unit_cli_options_test)
  target_sources(unit_cli_options_test PRIVATE ${PROJECT_SOURCE_DIR}/src/cli/options.cpp)
  target_include_directories(unit_cli_options_test PRIVATE ${PROJECT_SOURCE_DIR}/src/cli)
endif()
