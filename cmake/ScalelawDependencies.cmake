# Every dependency is a Debian 12 package installed by scripts/install-deps.sh.
find_package(Threads REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(Ceres 2.1 REQUIRED QUIET)
find_package(nlohmann_json 3 REQUIRED)
# simdjson (libsimdjson-dev): JSON Lines logs, ~10x faster than nlohmann_json's parser on a 1e6-line log.
find_package(simdjson REQUIRED)
# Its INTERFACE_COMPILE_DEFINITIONS (SIMDJSON_THREADS_ENABLED) would reach every source of libscalelaw and change
# their flags; the one source that includes simdjson.h gets them instead (CMakeLists.txt).
get_target_property(SCALELAW_SIMDJSON_DEFINITIONS simdjson::simdjson INTERFACE_COMPILE_DEFINITIONS)
if(NOT SCALELAW_SIMDJSON_DEFINITIONS)
  set(SCALELAW_SIMDJSON_DEFINITIONS "")
endif()
set_target_properties(simdjson::simdjson PROPERTIES INTERFACE_COMPILE_DEFINITIONS "")
find_package(fmt REQUIRED)
# Protocol buffers (libprotobuf-dev, protobuf-compiler) for TensorBoard event files; optional: without it the
# other log formats are read and a TensorBoard file is refused with the reason.
find_package(Protobuf QUIET)
if(Protobuf_FOUND AND Protobuf_PROTOC_EXECUTABLE)
  set(SCALELAW_WITH_TENSORBOARD ON)
else()
  set(SCALELAW_WITH_TENSORBOARD OFF)
  message(STATUS "scalelaw: protobuf not found, TensorBoard event files will not be read")
endif()
# LBFGSpp (liblbfgspp-dev): header-only L-BFGS for the bootstrap's refits; it ships no CMake package.
find_path(LBFGSPP_INCLUDE_DIR LBFGS.h REQUIRED)

# Debian's Ceres::ceres names the static libceres.a, which drags ~26 libraries into every binary and is not
# built for shared objects; the shared libceres.so.3 from the same package is as fast.
get_target_property(_scalelaw_ceres_location Ceres::ceres IMPORTED_LOCATION_RELEASE)
if(_scalelaw_ceres_location MATCHES "libceres\\.a$")
  string(REGEX REPLACE "libceres\\.a$" "libceres.so" _scalelaw_ceres_shared "${_scalelaw_ceres_location}")
  if(EXISTS "${_scalelaw_ceres_shared}")
    set_target_properties(Ceres::ceres PROPERTIES
      IMPORTED_LOCATION_RELEASE "${_scalelaw_ceres_shared}"
      INTERFACE_LINK_LIBRARIES "Threads::Threads;glog::glog;Eigen3::Eigen")
  endif()
endif()

if(SCALELAW_BUILD_CLI)
  find_package(CLI11 CONFIG REQUIRED)
endif()

if(SCALELAW_BUILD_PYTHON OR SCALELAW_BUILD_TESTS)
  # The python3 first on PATH may be a pyenv interpreter without numpy: prefer Debian's.
  if(NOT DEFINED Python_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python interpreter with numpy and pytest")
  endif()
  find_package(Python 3 COMPONENTS Interpreter Development.Module REQUIRED)
endif()
if(SCALELAW_BUILD_PYTHON)
  find_package(pybind11 2.10 CONFIG REQUIRED)
endif()
if(SCALELAW_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
endif()
