# Runs a libFuzzer binary for a bounded time on a writable copy of its seed corpus, so the
# inputs it discovers land in the build tree and the committed seeds stay untouched.
# Fails on any crash, sanitizer report, leak or per-input timeout.
#
#   cmake -DFUZZER=<binary> -DSEED_CORPUS=<dir> -DWORK_DIR=<dir> -DMAX_TOTAL_TIME=<s>
#         [-DDICTIONARY=<file>] -P run_fuzzer.cmake
foreach(required FUZZER SEED_CORPUS WORK_DIR MAX_TOTAL_TIME)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "run_fuzzer.cmake: ${required} is not set")
  endif()
endforeach()

set(corpus "${WORK_DIR}/corpus")
set(artifacts "${WORK_DIR}/artifacts")
file(MAKE_DIRECTORY "${corpus}" "${artifacts}")
file(GLOB seeds "${SEED_CORPUS}/*")
if(NOT seeds)
  message(FATAL_ERROR "run_fuzzer.cmake: no seeds in ${SEED_CORPUS}")
endif()
file(COPY ${seeds} DESTINATION "${corpus}"
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

set(options -max_total_time=${MAX_TOTAL_TIME} -timeout=10 -print_final_stats=1 "-artifact_prefix=${artifacts}/")
if(DEFINED DICTIONARY)
  list(APPEND options "-dict=${DICTIONARY}")
endif()

execute_process(COMMAND "${FUZZER}" ${options} "${corpus}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${result}); the crashing input is in ${artifacts}")
endif()
