# `cmake --install`: the library (headers, static archive, CMake package
# mxstate::state, pkg-config file), the CLI, its man page and bash
# completion. Included from the root CMakeLists.txt; tests/install_test.sh
# builds a program against the result.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set_target_properties(mxstate_lib PROPERTIES EXPORT_NAME state)
install(TARGETS mxstate_lib EXPORT mxstateTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/libstate/include/mxstate
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS mxstate RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(MXSTATE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mxstate)
install(EXPORT mxstateTargets NAMESPACE mxstate:: DESTINATION ${MXSTATE_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/mxstateConfig.cmake.in
  ${CMAKE_BINARY_DIR}/mxstateConfig.cmake INSTALL_DESTINATION ${MXSTATE_CMAKE_DIR})
# 0.x: every minor version may break the API.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/mxstateConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/mxstateConfig.cmake
              ${CMAKE_BINARY_DIR}/mxstateConfigVersion.cmake
        DESTINATION ${MXSTATE_CMAKE_DIR})

# The .pc file finds the prefix relative to itself, so that
# `cmake --install --prefix DIR` (chosen after configuring) gets a right one.
file(RELATIVE_PATH MXSTATE_PC_TO_PREFIX
     /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${CMAKE_CURRENT_LIST_DIR}/mxstate.pc.in ${CMAKE_BINARY_DIR}/mxstate.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/mxstate.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES ${CMAKE_SOURCE_DIR}/docs/mxstate.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/mxstate.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME mxstate)
