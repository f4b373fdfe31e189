# Installs libpgfns, the test helpers (pgfns::testing, with share/pgfns/pg-cluster), its public
# headers, the `pgfns` tool, a CMake package
# (find_package(pgfns) -> pgfns::pgfns, the tool as pgfns::cli, and pgfns_generate()) and a
# pkg-config file (pgfns.pc).
include(CMakePackageConfigHelpers)

set(PGFNS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/pgfns)

install(TARGETS pgfns pgfns_testing EXPORT pgfnsTargets)
# pgfns::testing starts throwaway servers with pg-cluster (and the helpers it sources).
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/pg-cluster DESTINATION ${CMAKE_INSTALL_DATADIR}/pgfns)
install(FILES ${PROJECT_SOURCE_DIR}/scripts/lib/env-file.sh ${PROJECT_SOURCE_DIR}/scripts/lib/pg-node.sh
              ${PROJECT_SOURCE_DIR}/scripts/lib/pgbouncer.sh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/pgfns/lib)
if(TARGET pgfns_cli)
  install(TARGETS pgfns_cli EXPORT pgfnsTargets)
  # Linked to a shared libpgfns, the installed tool finds it in its own prefix.
  if(BUILD_SHARED_LIBS)
    file(RELATIVE_PATH lib_from_bin ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
    set_target_properties(pgfns_cli PROPERTIES INSTALL_RPATH "$ORIGIN/${lib_from_bin}")
  endif()
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/pgfns DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT pgfnsTargets NAMESPACE pgfns:: DESTINATION ${PGFNS_CMAKE_DIR})

# A static libpgfns leaves its private dependencies, yaml-cpp and OpenSSL's libcrypto, for its
# users to link.
get_target_property(PGFNS_LIBRARY_TYPE pgfns TYPE)
if(PGFNS_LIBRARY_TYPE STREQUAL "STATIC_LIBRARY")
  set(PGFNS_STATIC TRUE)
else()
  set(PGFNS_STATIC FALSE)
endif()

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/pgfnsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/pgfnsConfig.cmake INSTALL_DESTINATION ${PGFNS_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/pgfnsConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/pgfnsConfig.cmake ${PROJECT_BINARY_DIR}/pgfnsConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/pgfns_generate.cmake
        DESTINATION ${PGFNS_CMAKE_DIR})

# pkg-config: libpq, yaml-cpp and libcrypto have .pc files of their own; Boost.JSON has none, so its
# include and library directories are spelled out unless the compiler searches them anyway.
if(PGFNS_STATIC)
  set(PGFNS_PC_REQUIRES "libpq yaml-cpp libcrypto")
  set(PGFNS_PC_REQUIRES_PRIVATE "")
else()
  set(PGFNS_PC_REQUIRES "libpq")
  set(PGFNS_PC_REQUIRES_PRIVATE "yaml-cpp libcrypto")
endif()
set(PGFNS_PC_BOOST_CFLAGS "")
get_target_property(boost_include_dirs Boost::headers INTERFACE_INCLUDE_DIRECTORIES)
foreach(dir IN LISTS boost_include_dirs)
  if(NOT dir IN_LIST CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
    string(APPEND PGFNS_PC_BOOST_CFLAGS " -I${dir}")
  endif()
endforeach()
set(PGFNS_PC_BOOST_LIBS "")
get_target_property(boost_json_file Boost::json LOCATION)
get_filename_component(boost_json_dir "${boost_json_file}" DIRECTORY)
if(NOT boost_json_dir IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)
  set(PGFNS_PC_BOOST_LIBS "-L${boost_json_dir} ")
endif()
string(APPEND PGFNS_PC_BOOST_LIBS "-lboost_json")

# pgfns.pc names the prefix given at install time (`cmake --install BUILD --prefix DIR`), not
# the one configured: it is configured now with the prefix left as @PGFNS_PC_PREFIX@, and
# written with it when installing.
set(PGFNS_PC_PREFIX "@PGFNS_PC_PREFIX@")
foreach(kind IN ITEMS LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${kind}}")
    set(PGFNS_PC_${kind} "${CMAKE_INSTALL_${kind}}")
  else()
    set(PGFNS_PC_${kind} "\${prefix}/${CMAKE_INSTALL_${kind}}")
  endif()
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/pgfns.pc.in ${PROJECT_BINARY_DIR}/pgfns.pc.install @ONLY)
install(CODE "
  set(PGFNS_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_BINARY_DIR}/pgfns.pc.install\" \"${PROJECT_BINARY_DIR}/pgfns.pc\" @ONLY)
")
install(FILES ${PROJECT_BINARY_DIR}/pgfns.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
