# Tiny runs of the peer, overhead and proxy socket-call benchmarks (about 20 s each) as
# CTest tests, so the scripts do not rot. They exit 77, which CTest reports as skipped,
# when nginx or HAProxy (or, for proxy_syscalls, strace) is not installed. Included from tests/CMakeLists.txt.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND)
  foreach(script run_peers overhead proxy_syscalls)
    add_test(NAME bench.${script}_smoke
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/${script}.py --smoke
                     --binary $<TARGET_FILE:autoglm>)
    set_tests_properties(bench.${script}_smoke PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 90 RUN_SERIAL TRUE)
  endforeach()
endif()
