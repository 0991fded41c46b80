/* A minimal test harness for the C test programs: CHECK records a failure and goes on. */
#ifndef VNACCS_TEST_H
#define VNACCS_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnaccs.h"

static int test_failures = 0;

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
      test_failures++;                                                               \
    }                                                                                \
  } while (0)

/* Whether status is a core error's (1xxx-7xxx, 9xxx; not the boundary's 8xxx nor success): its
   JSON's "code" says which. */
static inline int core_error(int32_t status) {
  return (status >= 1 && status < VNACCS_BOUNDARY_STATUS_MIN) || status >= 9000;
}

/* The calling thread's last error JSON, in a static buffer. */
static inline const char *last_error(void) {
  static char buf[8192];
  size_t len = 0;
  if (vnaccs_last_error(buf, sizeof buf, &len) != VNACCS_OK) {
    return "(vnaccs_last_error failed)";
  }
  return buf;
}

/* Whether the last error's JSON has "code":"<code>". */
static inline int last_error_is(const char *code) {
  char needle[128];
  snprintf(needle, sizeof needle, "\"code\":\"%s\"", code);
  return strstr(last_error(), needle) != NULL;
}

/* Reads a whole file into a new buffer (free it), its length in *len; NULL when unreadable. */
static inline unsigned char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  unsigned char *data = NULL;
  long size;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    data = malloc((size_t)size + 1);
    if (data != NULL && fread(data, 1, (size_t)size, f) == (size_t)size) {
      data[size] = 0;
      *len = (size_t)size;
    } else {
      free(data);
      data = NULL;
    }
  }
  fclose(f);
  return data;
}

/* Ends the test program: prints its verdict, returns main's exit status. */
static inline int test_end(const char *name) {
  printf("%s: %s\n", name, test_failures ? "FAILED" : "ok");
  return test_failures != 0;
}

#endif
