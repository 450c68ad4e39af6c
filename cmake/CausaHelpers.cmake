# Shared compile settings and the causa_add_test() helper.

set(CAUSA_SHARED_DATA_DIR "${CMAKE_SOURCE_DIR}/../shared/data" CACHE PATH "Real test data (optional)")

function(causa_target_defaults target)
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_USE_QSTRINGBUILDER QT_NO_KEYWORDS)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
    if(CAUSA_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# causa_add_test(name SOURCES a.cpp ... LIBS lib... [GUI])
function(causa_add_test name)
    cmake_parse_arguments(T "GUI" "" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${T_SOURCES})
    causa_target_defaults(${name})
    target_link_libraries(${name} PRIVATE Qt6::Test ${T_LIBS})
    target_compile_definitions(${name} PRIVATE
        CAUSA_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
        CAUSA_SHARED_DATA_DIR="${CAUSA_SHARED_DATA_DIR}"
        CAUSA_BINARY_DIR="${CMAKE_BINARY_DIR}")
    target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests/common)
    add_test(NAME ${name} COMMAND ${name})
    set(env "QT_QPA_PLATFORM=offscreen")
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT 600)
endfunction()

# causa_add_bench(name SOURCES ... LIBS ...): a benchmark prints figures, it is not a test.
function(causa_add_bench name)
    cmake_parse_arguments(B "" "" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${B_SOURCES})
    causa_target_defaults(${name})
    target_link_libraries(${name} PRIVATE ${B_LIBS})
    target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests/common)
    target_compile_definitions(${name} PRIVATE CAUSA_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
        CAUSA_SHARED_DATA_DIR="${CAUSA_SHARED_DATA_DIR}" CAUSA_BINARY_DIR="${CMAKE_BINARY_DIR}")
endfunction()

# causa_add_pg_test(existing_test_target): registers <target>_pg running with the PG store.
function(causa_add_pg_test target)
    add_test(NAME ${target}_pg COMMAND ${target})
    set_tests_properties(${target}_pg PROPERTIES
        FIXTURES_REQUIRED postgres TIMEOUT 600
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;CAUSA_TEST_STORE_URL_FILE=${CMAKE_BINARY_DIR}/pgtest/url")
endfunction()
