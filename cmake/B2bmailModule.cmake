# b2bmail_module(NAME <mod> DEPS <modules...> [THIRD_PARTY <targets...>])
#
# One static library per module: engine/<mod>/*.cc -> b2bmail_<mod>.
# Public headers live in include/b2bmail/<mod>/ (PUBLIC include dir include/);
# engine/<mod>/ is a PRIVATE include dir so private headers never leak.
# DEPS lists exactly the module's row in ARCHITECTURE.md's table;
# scripts/check-layering verifies the #includes against the same table.
function(b2bmail_module)
  cmake_parse_arguments(M "" "NAME" "DEPS;THIRD_PARTY" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  set(target b2bmail_${M_NAME})
  add_library(${target} STATIC ${sources})
  target_include_directories(${target}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  foreach(dep IN LISTS M_DEPS)
    target_link_libraries(${target} PUBLIC b2bmail_${dep})
  endforeach()
  if(M_THIRD_PARTY)
    target_link_libraries(${target} PRIVATE ${M_THIRD_PARTY})
  endif()
endfunction()

# b2bmail_test(<mod> [LIBS <targets...>]): one Catch2 binary per module,
# tests/<mod>/*_test.cc, registered with ctest under the module's name.
function(b2bmail_test mod)
  cmake_parse_arguments(T "" "" "LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  set(target ${mod}_test)
  add_executable(${target} ${sources} ${PROJECT_SOURCE_DIR}/tests/support/catch_main.cc)
  target_link_libraries(${target} PRIVATE b2bmail_${mod} b2bmail_test_support Catch2::Catch2 ${T_LIBS})
  target_compile_definitions(${target} PRIVATE
    B2BMAIL_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    B2BMAIL_TEST_DATA="${CMAKE_CURRENT_SOURCE_DIR}/data")
  add_test(NAME ${mod} COMMAND ${target} --order rand --warn NoAssertions)
  set_tests_properties(${mod} PROPERTIES TIMEOUT 600)
endfunction()
