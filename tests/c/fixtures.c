/* Writes the test PKI's certificates, keys and sandbox scenario into argv[1], once for every
   test program (so that none generates keys, slow under valgrind). */
#include "test.h"

int main(int argc, char **argv) {
  VnaccsSandbox *sandbox = NULL;
  if (argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  if (vnaccs_sandbox_start(NULL, argv[1], &sandbox) != VNACCS_OK) {
    fprintf(stderr, "%s\n", last_error());
    return 1;
  }
  vnaccs_sandbox_free(sandbox);
  return 0;
}
