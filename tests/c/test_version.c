/* The version function and macros: argv[1] is the version in the Cargo manifest. */
#include "test.h"

/* The composite must be usable in the preprocessor and agree with its parts. */
#if VNACCS_VERSION_NUMBER != VNACCS_VERSION_MAJOR * 10000 + VNACCS_VERSION_MINOR * 100 + VNACCS_VERSION_PATCH
#error "VNACCS_VERSION_NUMBER does not match its parts"
#endif

int main(int argc, char **argv) {
  char parts[64];
  const char *v = vnaccs_version();
  CHECK(argc >= 2);
  CHECK(v != NULL);
  if (v != NULL && argc >= 2) {
    CHECK(strcmp(v, argv[1]) == 0);
    CHECK(vnaccs_version() == v); /* static: the same pointer every time */
    snprintf(parts, sizeof parts, "%d.%d.%d", VNACCS_VERSION_MAJOR, VNACCS_VERSION_MINOR,
             VNACCS_VERSION_PATCH);
    CHECK(strcmp(parts, v) == 0);
  }
  CHECK(vnaccs_version_number() == VNACCS_VERSION_NUMBER);
  CHECK(VNACCS_VERSION_NUMBER ==
        VNACCS_VERSION_MAJOR * 10000 + VNACCS_VERSION_MINOR * 100 + VNACCS_VERSION_PATCH);
  CHECK(vnaccs_abi_version() == VNACCS_ABI_VERSION);
  CHECK(VNACCS_ABI_VERSION >= 1);
  return test_end(argv[0]);
}
