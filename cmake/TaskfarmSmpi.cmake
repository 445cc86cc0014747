# The engine under SimGrid's SMPI (issue 12, sim/): built when SimGrid is found (AUTO), required
# (ON) or never (OFF). It needs no smpicxx: smpicxx is the host compiler plus SMPI's include
# directory, a force-included smpi_helpers.h and -shared -lsimgrid, which sim/CMakeLists.txt
# gives the simulation targets directly, so they build within the normal build.
if(PROJECT_IS_TOP_LEVEL)
  set(taskfarm_smpi_default AUTO)
else()
  set(taskfarm_smpi_default OFF)  # a project that builds taskfarm inside itself does not want the simulator
endif()
set(TASKFARM_SMPI ${taskfarm_smpi_default} CACHE STRING "Build the engine under SimGrid SMPI (sim/): AUTO, ON or OFF")
set_property(CACHE TASKFARM_SMPI PROPERTY STRINGS AUTO ON OFF)

if(NOT TASKFARM_SMPI STREQUAL "OFF")
  find_program(TASKFARM_SMPIRUN smpirun)
  find_path(TASKFARM_SMPI_INCLUDE_DIR smpi/smpi_helpers.h)
  find_library(TASKFARM_SIMGRID_LIBRARY simgrid)
  if(TASKFARM_SMPIRUN AND TASKFARM_SMPI_INCLUDE_DIR AND TASKFARM_SIMGRID_LIBRARY)
    message(STATUS "taskfarm: SimGrid SMPI found (${TASKFARM_SMPIRUN}): building sim/")
    add_subdirectory(sim)
  elseif(TASKFARM_SMPI STREQUAL "ON")
    message(FATAL_ERROR "taskfarm: TASKFARM_SMPI=ON but SimGrid's smpirun, smpi/smpi_helpers.h or libsimgrid "
                        "was not found (Debian: apt install libsimgrid-dev)")
  else()
    message(STATUS "taskfarm: SimGrid SMPI not found: sim/ is not built")
  endif()
endif()
