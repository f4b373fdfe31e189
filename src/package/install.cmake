# Installs libpgfns, its public headers, the `pgfns` tool, a CMake package
# (find_package(pgfns) -> pgfns::pgfns) and a pkg-config file (pgfns.pc).
include(CMakePackageConfigHelpers)

set(PGFNS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/pgfns)

install(TARGETS pgfns EXPORT pgfnsTargets)
if(TARGET pgfns_cli)
  install(TARGETS pgfns_cli)
endif()
install(DIRECTORY include/pgfns DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT pgfnsTargets NAMESPACE pgfns:: DESTINATION ${PGFNS_CMAKE_DIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/pgfnsConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/pgfnsConfig.cmake INSTALL_DESTINATION ${PGFNS_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/pgfnsConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/pgfnsConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/pgfnsConfigVersion.cmake
        DESTINATION ${PGFNS_CMAKE_DIR})

# pkg-config: libpq and yaml-cpp have .pc files of their own; Boost.JSON has none.
if(BUILD_SHARED_LIBS)
  set(PGFNS_PC_REQUIRES "libpq")
  set(PGFNS_PC_REQUIRES_PRIVATE "yaml-cpp")
else()
  set(PGFNS_PC_REQUIRES "libpq yaml-cpp")
  set(PGFNS_PC_REQUIRES_PRIVATE "")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/pgfns.pc.in ${CMAKE_CURRENT_BINARY_DIR}/pgfns.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/pgfns.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
