# Every Catch2 test case must reach CTest as exactly one test that really runs.
#
# catch_discover_tests() (Catch.cmake, Catch2 v2) turns each line of `<binary> --list-test-names-only` into one
# CTest entry whose argument is that name as a test spec. The generated script is CMake, where ';' separates list
# elements: a name containing ';' becomes several entries whose specs match no test case, and a Catch2 binary
# asked for a spec that matches nothing exits 0 (unless run with --warn NoTests), so CTest reports them passed.
#
# Included by tests/CMakeLists.txt, this file defines scalelaw_find_semicolon_test_names() for the configure-time
# check. Run as a script it is the CTest test that checks one binary after it is built:
#   cmake -DCTEST_COMMAND=<ctest> -DBUILD_DIR=<build tree> -DBINARY=<catch2 binary> -DSOURCE_DIR=<checkout>
#         "-DSOURCES=<file>|<file>|..." -P catch_discovery.cmake
# It fails when a TEST_CASE name in SOURCES contains ';' (naming file and line), or when the CTest entries that
# run BINARY are not exactly the test cases the binary lists, one entry per name.

# Sets `out` to one line "<file>:<line>: <name>" per TEST_CASE in `files` whose name contains ';' (paths relative
# to `source_dir`); empty when there is none.
function(scalelaw_find_semicolon_test_names out source_dir)
  set(found "")
  foreach(file IN LISTS ARGN)
    get_filename_component(file "${file}" ABSOLUTE BASE_DIR "${source_dir}")
    file(RELATIVE_PATH shown "${source_dir}" "${file}")
    file(READ "${file}" text)
    set(line 1)
    # The text is only ever passed quoted, so its own ';' do not split it.
    while(text MATCHES "TEST_CASE\\(\"([^\"\n]*;[^\"\n]*)\"")
      set(match "${CMAKE_MATCH_0}")
      set(name "${CMAKE_MATCH_1}")
      string(FIND "${text}" "${match}" at)
      string(SUBSTRING "${text}" 0 ${at} before)
      string(REGEX MATCHALL "\n" newlines "${before}")
      list(LENGTH newlines skipped)
      math(EXPR line "${line} + ${skipped}")
      string(APPEND found "${shown}:${line}: \"${name}\"\n")
      string(LENGTH "${match}" length)
      math(EXPR at "${at} + ${length}")
      string(SUBSTRING "${text}" ${at} -1 text)
    endwhile()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

if(NOT CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  return()
endif()
cmake_minimum_required(VERSION 3.19)  # string(JSON)

foreach(var CTEST_COMMAND BUILD_DIR BINARY SOURCE_DIR SOURCES)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "catch_discovery.cmake: pass -D${var}=...")
  endif()
endforeach()
get_filename_component(binary_name "${BINARY}" NAME)
set(errors "")

string(REPLACE "|" ";" sources "${SOURCES}")
scalelaw_find_semicolon_test_names(bad "${SOURCE_DIR}" ${sources})
if(bad)
  string(APPEND errors "TEST_CASE names containing ';', which CTest's discovery splits into tests that run nothing "
                       "(use ',' or ':'):\n${bad}")
endif()

# The binary's own list: one name per line. Lines are counted as newlines, never as a CMake list, so a name with a
# ';' still counts once here.
execute_process(COMMAND "${BINARY}" --list-test-names-only OUTPUT_VARIABLE names RESULT_VARIABLE result)
if(result LESS 0 OR NOT result MATCHES "^[0-9]+$")
  message(FATAL_ERROR "${BINARY} --list-test-names-only failed: ${result}")
endif()
string(REGEX REPLACE "\n+$" "\n" names "${names}")
string(REGEX MATCHALL "\n" newlines "${names}")
list(LENGTH newlines listed)

# CTest's side: the entries whose command runs this binary, with the test spec each passes to it.
execute_process(COMMAND "${CTEST_COMMAND}" --show-only=json-v1 WORKING_DIRECTORY "${BUILD_DIR}"
  OUTPUT_VARIABLE json RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "ctest --show-only=json-v1 in ${BUILD_DIR} failed: ${result}")
endif()
string(JSON count LENGTH "${json}" tests)
set(entries 0)
set(unmatched "")
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON test GET "${json}" tests ${i})
  string(JSON command ERROR_VARIABLE no_command GET "${test}" command 0)
  if(no_command OR NOT command STREQUAL BINARY)
    continue()
  endif()
  math(EXPR entries "${entries} + 1")
  string(JSON spec GET "${test}" command 1)
  # Catch.cmake escapes the spec's special characters ',', '[' and ']' with a backslash.
  string(REGEX REPLACE "\\\\([],[])" "\\1" spec "${spec}")
  string(FIND "\n${names}" "\n${spec}\n" at)
  if(at EQUAL -1)
    string(JSON name GET "${test}" name)
    string(APPEND unmatched "  ${name}\n")
  endif()
endforeach()

if(NOT entries EQUAL listed OR unmatched)
  string(APPEND errors "${binary_name} lists ${listed} test cases but CTest has ${entries} entries for it")
  if(unmatched)
    string(APPEND errors "; entries whose spec names no test case:\n${unmatched}")
  else()
    string(APPEND errors "\n")
  endif()
endif()
if(errors)
  message(FATAL_ERROR "${errors}")
endif()
message(STATUS "${binary_name}: ${listed} test cases, one CTest entry each")
