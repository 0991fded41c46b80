/* The version function: argv[1] is the version in the Cargo manifest. */
#include <string.h>

#include "test.h"
#include "vnaccs.h"

int main(int argc, char **argv) {
  CHECK(argc == 2);
  const char *v = vnaccs_version();
  CHECK(v != NULL);
  if (v != NULL && argc == 2) {
    CHECK(strcmp(v, argv[1]) == 0);
    CHECK(vnaccs_version() == v); /* static: the same pointer every time */
  }
  printf("%s %s: %s\n", argv[0], v ? v : "(null)", test_failures ? "FAILED" : "ok");
  return test_failures != 0;
}
