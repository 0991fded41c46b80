/* Cold start of the C ABI (benches/compare.sh): a program linked against the shared library
   reads one certificate file (argv[1]) and prints its view as JSON, like `vnaccs inspect --json`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vnaccs.h"

int main(int argc, char **argv) {
  static unsigned char data[1 << 20];
  static char json[1 << 16];
  size_t len, out_len = 0;
  FILE *f;
  if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
    fprintf(stderr, "usage: inspect CERTIFICATE\n");
    return 2;
  }
  len = fread(data, 1, sizeof data, f);
  fclose(f);
  if (vnaccs_certificates_inspect(data, len, json, sizeof json, &out_len) != VNACCS_OK) {
    fprintf(stderr, "not a readable certificate\n");
    return 1;
  }
  fwrite(json, 1, out_len, stdout);
  putchar('\n');
  return 0;
}
