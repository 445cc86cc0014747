# Install and export rules: `cmake --install` puts the headers, the library, a CMake package
# (taskfarmConfig.cmake, its version file and the exported taskfarm:: targets) and a pkg-config
# file under the prefix. All of it is the component taskfarm_development, which can be installed
# alone (`cmake --install build --component taskfarm_development`). Off when taskfarm is a subproject, unless the parent asks for it.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

option(TASKFARM_INSTALL "Generate taskfarm's install rules" ${PROJECT_IS_TOP_LEVEL})
if(NOT TASKFARM_INSTALL)
  return()
endif()

set(TASKFARM_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/taskfarm)

# A static taskfarm carries its PRIVATE OpenMP dependency to every program that links it
# ($<LINK_ONLY:OpenMP::OpenMP_CXX> in the exported target), so the package must find OpenMP
# again; a shared one has resolved it already.
get_target_property(TASKFARM_LIBRARY_TYPE taskfarm TYPE)
if(TASKFARM_LIBRARY_TYPE STREQUAL "STATIC_LIBRARY")
  set(TASKFARM_NEEDS_OPENMP ON)
else()
  set(TASKFARM_NEEDS_OPENMP OFF)
endif()

install(TARGETS taskfarm EXPORT taskfarmTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT taskfarm_development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT taskfarm_development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT taskfarm_development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/taskfarm
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT taskfarm_development
  FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/include/taskfarm/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/taskfarm COMPONENT taskfarm_development)
install(EXPORT taskfarmTargets NAMESPACE taskfarm:: DESTINATION ${TASKFARM_CMAKE_INSTALL_DIR}
  COMPONENT taskfarm_development)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/taskfarmConfig.cmake.in
  ${PROJECT_BINARY_DIR}/taskfarmConfig.cmake
  INSTALL_DESTINATION ${TASKFARM_CMAKE_INSTALL_DIR})
# 0.x releases promise nothing across minor versions.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/taskfarmConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/taskfarmConfig.cmake ${PROJECT_BINARY_DIR}/taskfarmConfigVersion.cmake
  DESTINATION ${TASKFARM_CMAKE_INSTALL_DIR} COMPONENT taskfarm_development)

# pkg-config: relocatable (paths relative to the .pc file), with MPI and Boost as the full paths
# this build linked against, since neither Boost nor every MPI ships a .pc file of its own.
file(RELATIVE_PATH TASKFARM_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
list(JOIN MPI_CXX_INCLUDE_DIRS " -I" TASKFARM_PC_MPI_INCLUDES)
if(TASKFARM_PC_MPI_INCLUDES)
  set(TASKFARM_PC_MPI_INCLUDES "-I${TASKFARM_PC_MPI_INCLUDES}")
endif()
list(JOIN MPI_CXX_LIBRARIES " " TASKFARM_PC_MPI_LIBS)
set(TASKFARM_PC_DEPENDENCY_LIBS
    "$<TARGET_LINKER_FILE:Boost::mpi> $<TARGET_LINKER_FILE:Boost::serialization> ${TASKFARM_PC_MPI_LIBS}")
if(TASKFARM_NEEDS_OPENMP)
  set(TASKFARM_PC_LIBS "${TASKFARM_PC_DEPENDENCY_LIBS} ${OpenMP_CXX_FLAGS}")
  set(TASKFARM_PC_LIBS_PRIVATE "")
else()
  set(TASKFARM_PC_LIBS "${TASKFARM_PC_DEPENDENCY_LIBS}")
  set(TASKFARM_PC_LIBS_PRIVATE "${OpenMP_CXX_FLAGS}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/taskfarm.pc.in ${PROJECT_BINARY_DIR}/taskfarm.pc.configured @ONLY)
file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/taskfarm.pc INPUT ${PROJECT_BINARY_DIR}/taskfarm.pc.configured)
install(FILES ${PROJECT_BINARY_DIR}/taskfarm.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT taskfarm_development)
