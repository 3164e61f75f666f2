# Installs an already-built scalelaw tree into a temporary prefix, then configures, builds and runs examples/cpp
# against it with find_package(scalelaw CONFIG), as a separate project would. Run by CTest (tests/CMakeLists.txt):
#   cmake -DBUILD_DIR=<scalelaw build> -DSOURCE_DIR=<checkout> -DWORK_DIR=<scratch folder>
#         [-DGENERATOR=Ninja] [-DCXX_COMPILER=g++] [-DCXX_FLAGS=...] [-DBUILD_TYPE=Release] -P package_test.cmake
# Any failing step fails the test (COMMAND_ERROR_IS_FATAL needs CMake 3.19).
cmake_minimum_required(VERSION 3.19)

foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "package_test.cmake: pass -D${var}=...")
  endif()
endforeach()
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()

set(prefix "${WORK_DIR}/prefix")
set(example_build "${WORK_DIR}/example-build")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# 1. Install what the build made (no rebuild): headers, libscalelaw, the CLI and the CMake package.
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}" --config "${BUILD_TYPE}"
  OUTPUT_QUIET COMMAND_ERROR_IS_FATAL ANY)
foreach(file include/scalelaw/scalelaw.h include/scalelaw/laws/chinchilla.h)
  if(NOT EXISTS "${prefix}/${file}")
    message(FATAL_ERROR "not installed: ${prefix}/${file}")
  endif()
endforeach()
file(GLOB_RECURSE config_files "${prefix}/*/scalelawConfig.cmake" "${prefix}/*/scalelawConfigVersion.cmake"
  "${prefix}/*/scalelawTargets.cmake")
list(LENGTH config_files config_count)
if(NOT config_count EQUAL 3)
  message(FATAL_ERROR "expected scalelawConfig, scalelawConfigVersion and scalelawTargets under ${prefix}, found: ${config_files}")
endif()

# 2. Configure and build the examples as a project of their own, seeing scalelaw only through the prefix.
set(configure_args -S "${SOURCE_DIR}/examples/cpp" -B "${example_build}" "-DCMAKE_PREFIX_PATH=${prefix}"
  "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}" "-DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON")
if(GENERATOR)
  list(APPEND configure_args -G "${GENERATOR}")
endif()
if(CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(CXX_FLAGS)
  list(APPEND configure_args "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" ${configure_args} OUTPUT_VARIABLE configure_output
  ERROR_VARIABLE configure_output RESULT_VARIABLE configure_result)
if(NOT configure_result EQUAL 0)
  message(FATAL_ERROR "configuring examples/cpp against ${prefix} failed:\n${configure_output}")
endif()
file(READ "${example_build}/CMakeCache.txt" cache)
string(REGEX MATCH "scalelaw_DIR:PATH=[^\n]*" scalelaw_dir "${cache}")
if(NOT scalelaw_dir MATCHES "^scalelaw_DIR:PATH=${prefix}/")
  message(FATAL_ERROR "examples/cpp found scalelaw outside the test prefix: ${scalelaw_dir}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${example_build}" --config "${BUILD_TYPE}" --parallel 2
  OUTPUT_VARIABLE build_output ERROR_VARIABLE build_output RESULT_VARIABLE build_result)
if(NOT build_result EQUAL 0)
  message(FATAL_ERROR "building examples/cpp failed:\n${build_output}")
endif()

# 3. Run them and check what they print.
function(run_example name)
  find_program(exe ${name} PATHS "${example_build}" "${example_build}/${BUILD_TYPE}" NO_DEFAULT_PATH REQUIRED)
  execute_process(COMMAND "${exe}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE result)
  message(STATUS "${name}:\n${out}")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${name} exited with ${result}:\n${out}${err}")
  endif()
  foreach(expected IN LISTS ARGN)
    if(NOT out MATCHES "${expected}")
      message(FATAL_ERROR "${name}: output lacks '${expected}':\n${out}")
    endif()
  endforeach()
  unset(exe CACHE)
endfunction()

# The Epoch law (Besiroglu et al. 2024, Table 1) at C = 1e23: N_opt = G (C/6)^a = 2.945e10, D_opt = 5.660e11,
# loss 2.0321; at N = 7e9, D = 2e12 its loss is 2.0647 (computed by hand from the constants).
run_example(laws_only "epoch +N = 2\\.945e\\+10  D = 5\\.66e\\+11" "chinchilla-unrounded")
run_example(fit_and_allocate "epoch law at C = 1e23: N_opt = 2\\.945e\\+10, D_opt = 5\\.66e\\+11, loss 2\\.0321"
  "N = 7e9, D = 2e12: loss 2\\.0647"
  "fitted to 12 runs: E = 1\\.81" "recovered the epoch law")
