/* A minimal test harness for the C test programs: CHECK records a failure and goes on. */
#ifndef VNACCS_TEST_H
#define VNACCS_TEST_H

#include <stdio.h>

static int test_failures = 0;

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
      test_failures++;                                                               \
    }                                                                                \
  } while (0)

#endif
