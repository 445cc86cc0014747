# Test registration helpers. MPI tests run under mpiexec with fixed rank counts, oversubscribed,
# with the environment they need set here (CI sets nothing).
find_package(GTest REQUIRED)
include(GoogleTest)

set(TASKFARM_TEST_ENV
  "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1"
  "OMPI_MCA_btl=self,vader;OMPI_MCA_btl_vader_single_copy_mechanism=none;OMPI_MCA_mpi_yield_when_idle=1"
  # Up to 4 ranks x 2 threads share 2 cores here: spinning OpenMP barriers would crawl.
  "OMP_WAIT_POLICY=passive")

# taskfarm_add_mpi_test(NAME SOURCES a.cpp ... RANKS 1 2 3 4 [THREADS 1 2] [TIMEOUT s] [LIBS ...])
# One CTest test per (ranks, threads): NAME.np<R>.t<T>.
function(taskfarm_add_mpi_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;RANKS;THREADS;LIBS" ${ARGN})
  if(NOT ARG_THREADS)
    set(ARG_THREADS 1)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE taskfarm::taskfarm taskfarm_mpi_gtest_main ${ARG_LIBS})
  taskfarm_warnings(${name})
  foreach(np IN LISTS ARG_RANKS)
    foreach(nt IN LISTS ARG_THREADS)
      add_test(NAME ${name}.np${np}.t${nt}
               COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${np} --oversubscribe
                       ${MPIEXEC_PREFLAGS} $<TARGET_FILE:${name}> ${MPIEXEC_POSTFLAGS})
      set_tests_properties(${name}.np${np}.t${nt} PROPERTIES
        PROCESSORS ${np} TIMEOUT ${ARG_TIMEOUT} LABELS mpi
        ENVIRONMENT "OMP_NUM_THREADS=${nt};${TASKFARM_TEST_ENV}")
    endforeach()
  endforeach()
endfunction()

# taskfarm_add_unit_test(NAME SOURCES a.cpp ... [LIBS ...]): GoogleTest without mpiexec.
function(taskfarm_add_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest_main ${ARG_LIBS})
  taskfarm_warnings(${name})
  gtest_discover_tests(${name} PROPERTIES LABELS unit ENVIRONMENT "${TASKFARM_TEST_ENV}"
                       DISCOVERY_TIMEOUT 60)
endfunction()
