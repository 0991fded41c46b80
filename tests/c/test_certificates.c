/* Certificates: inspect (argv[2] is the test PKI folder), load, view, free; the Vietnamese
   subject survives the round trip in UTF-8. */
#include "test.h"

static char *path_in(const char *dir, const char *name) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

/* The text of a (buf, capacity, out_len) function, asked twice: for its length, then whole. */
static char *inspect(const unsigned char *data, size_t len) {
  size_t needed = 0, got = 0;
  char *json;
  if (vnaccs_certificates_inspect(data, len, NULL, 0, &needed) != VNACCS_BUFFER_TOO_SMALL)
    return NULL;
  json = malloc(needed + 1);
  if (vnaccs_certificates_inspect(data, len, json, needed + 1, &got) != VNACCS_OK ||
      got != needed) {
    free(json);
    return NULL;
  }
  return json;
}

int main(int argc, char **argv) {
  size_t new_len = 0, old_len = 0, len = 0;
  unsigned char *new_pem, *old_pem, *bundle;
  char *json, view[8192];
  VnaccsCertificate *cert = NULL, *second = NULL;

  CHECK(argc == 3);
  if (argc != 3) return test_end(argv[0]);
  new_pem = read_file(path_in(argv[2], "new.pem"), &new_len);
  old_pem = read_file(path_in(argv[2], "old.pem"), &old_len);
  CHECK(new_pem != NULL && old_pem != NULL);
  if (new_pem == NULL || old_pem == NULL) return test_end(argv[0]);

  /* One certificate: the enterprise's, its name in Vietnamese intact. */
  json = inspect(new_pem, new_len);
  CHECK(json != NULL);
  if (json != NULL) {
    CHECK(json[0] == '[');
    CHECK(strstr(json, "\"tax_code\":\"0302345459\"") != NULL);
    CHECK(strstr(json, "\"subject_cn\":\"CÔNG TY TNHH THƯƠNG MẠI SÀI GÒN\"") != NULL);
    CHECK(strstr(json, "\"sha256_thumbprint\":\"") != NULL);
    CHECK(strstr(json, "\"not_after\":\"") != NULL);
  }

  /* A handle's view is the inspected element. */
  CHECK(vnaccs_certificate_load(new_pem, new_len, 0, &cert) == VNACCS_OK);
  CHECK(cert != NULL);
  CHECK(vnaccs_certificate_view(cert, view, sizeof view, &len) == VNACCS_OK);
  if (json != NULL) {
    CHECK(strlen(json) == len + 2 && strncmp(json + 1, view, len) == 0);
  }
  free(json);
  vnaccs_certificate_free(cert);

  /* Two certificates in one PEM bundle. */
  bundle = malloc(old_len + new_len);
  memcpy(bundle, old_pem, old_len);
  memcpy(bundle + old_len, new_pem, new_len);
  json = inspect(bundle, old_len + new_len);
  CHECK(json != NULL && strstr(json, "},{") != NULL);
  free(json);
  CHECK(vnaccs_certificate_load(bundle, old_len + new_len, 1, &second) == VNACCS_OK);
  vnaccs_certificate_free(second);
  second = NULL;
  CHECK(vnaccs_certificate_load(bundle, old_len + new_len, 2, &second) ==
        VNACCS_INVALID_ARGUMENT);
  CHECK(second == NULL);
  free(bundle);

  /* Not a certificate. */
  CHECK(core_error(vnaccs_certificate_load((const unsigned char *)"hello", 5, 0, &cert)));
  CHECK(last_error_is("invalid_certificate"));
  CHECK(core_error(
      vnaccs_certificates_inspect((const unsigned char *)"", 0, view, sizeof view, &len)));

  free(new_pem);
  free(old_pem);
  return test_end(argv[0]);
}
