/* Signing: a PEM pair and a SoftHSM2 token (label "VNACCS C", PIN 246810, the enterprise's new
   certificate and key, set up by tests/run.sh; VNACCS_PKCS11_MODULE and SOFTHSM2_CONF in the
   environment), detached CMS verified with openssl cms -verify, raw signatures with openssl
   dgst -verify; the token listing; a wrong PIN. argv[2] is the test PKI folder. */
#include "test.h"

static char dir[1024];
static const unsigned char content[] = "Tờ khai đăng ký chữ ký số";

static char *path_in(const char *name) {
  static char path[2048];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

static int write_file(const char *path, const unsigned char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  int ok = f != NULL && fwrite(data, 1, len, f) == len;
  if (f != NULL) ok = fclose(f) == 0 && ok;
  return ok;
}

/* Signs the content as CMS and raw with key, and checks both with openssl. */
static void signs_and_openssl_verifies(VnaccsKey *key, const char *what) {
  unsigned char sig[16384];
  size_t len = 0, needed = 0;
  char command[8192];
  CHECK(write_file(path_in("content.txt"), content, sizeof content - 1));

  CHECK(vnaccs_sign_cms(key, content, sizeof content - 1, NULL, NULL, 0, &needed) ==
        VNACCS_BUFFER_TOO_SMALL);
  CHECK(needed > 256);
  CHECK(vnaccs_sign_cms(key, content, sizeof content - 1, "sha256", sig, sizeof sig, &len) ==
        VNACCS_OK);
  CHECK(write_file(path_in("content.p7s"), sig, len));
  snprintf(command, sizeof command,
           "openssl cms -verify -binary -inform DER -purpose any -in '%s/content.p7s' "
           "-content '%s/content.txt' -CAfile '%s/cas.pem' -out /dev/null 2>/dev/null",
           dir, dir, dir);
  if (system(command) != 0) {
    fprintf(stderr, "%s: openssl cms -verify refused the signature\n", what);
    test_failures++;
  }

  CHECK(vnaccs_sign_raw(key, content, sizeof content - 1, "sha256", sig, sizeof sig, &len) ==
        VNACCS_OK);
  CHECK(len == 256); /* RSA-2048 */
  CHECK(write_file(path_in("content.sig"), sig, len));
  snprintf(command, sizeof command,
           "openssl x509 -in '%s/new.pem' -pubkey -noout > '%s/new.pub' && "
           "openssl dgst -sha256 -verify '%s/new.pub' -signature '%s/content.sig' "
           "'%s/content.txt' >/dev/null",
           dir, dir, dir, dir, dir);
  if (system(command) != 0) {
    fprintf(stderr, "%s: openssl dgst -verify refused the raw signature\n", what);
    test_failures++;
  }
  CHECK(vnaccs_sign_raw(key, content, sizeof content - 1, "md5", sig, sizeof sig, &len) ==
        VNACCS_INVALID_ARGUMENT);
}

static void pem_pair(void) {
  size_t len = 0;
  unsigned char *cert = read_file(path_in("new.pem"), &len);
  unsigned char *key_pem = read_file(path_in("new.key.pem"), &len);
  unsigned char *other_key = read_file(path_in("old.key.pem"), &len);
  VnaccsKey *key = NULL;
  CHECK(cert != NULL && key_pem != NULL && other_key != NULL);
  if (cert != NULL && key_pem != NULL && other_key != NULL) {
    CHECK(vnaccs_key_from_pem((char *)key_pem, (char *)cert, NULL, &key) == VNACCS_OK);
    if (key != NULL) signs_and_openssl_verifies(key, "PEM pair");
    vnaccs_key_free(key);
    key = NULL;
    CHECK(core_error(vnaccs_key_from_pem((char *)other_key, (char *)cert, NULL, &key)));
    CHECK(last_error_is("key_certificate_mismatch"));
    CHECK(key == NULL);
  }
  free(cert);
  free(key_pem);
  free(other_key);
}

/* The serial of the certificate in the PEM file name, as its view shows it. */
static void serial_of(const char *name, char *serial, size_t cap) {
  size_t len = 0;
  unsigned char *pem = read_file(path_in(name), &len);
  VnaccsCertificate *cert = NULL;
  char view[8192];
  const char *at;
  serial[0] = 0;
  if (pem != NULL && vnaccs_certificate_load(pem, len, 0, &cert) == VNACCS_OK &&
      vnaccs_certificate_view(cert, view, sizeof view, &len) == VNACCS_OK &&
      (at = strstr(view, "\"serial\":\"")) != NULL) {
    at += strlen("\"serial\":\"");
    len = strcspn(at, "\"");
    if (len < cap) {
      memcpy(serial, at, len);
      serial[len] = 0;
    }
  }
  vnaccs_certificate_free(cert);
  free(pem);
}

static void token(void) {
  char listing[16384], serial[128], other[128];
  unsigned char sig[16384];
  size_t len = 0;
  VnaccsKey *key = NULL;

  /* The SoftHSM2 module alone: listing every known module would load whatever the machine has. */
  CHECK(getenv("VNACCS_PKCS11_MODULE") != NULL);
  CHECK(vnaccs_pkcs11_list(getenv("VNACCS_PKCS11_MODULE"), listing, sizeof listing, &len) ==
        VNACCS_OK);
  CHECK(strstr(listing, "\"label\":\"VNACCS C\"") != NULL);
  CHECK(strstr(listing, "\"tax_code\":\"0302345459\"") != NULL);

  serial_of("new.pem", serial, sizeof serial);
  serial_of("other-tax-code.pem", other, sizeof other);
  CHECK(serial[0] != 0 && other[0] != 0);
  CHECK(strstr(listing, serial) != NULL);

  /* A wrong PIN: the key is made, its first signature refused. */
  CHECK(vnaccs_key_from_token(NULL, "VNACCS C", serial, "999999", &key) == VNACCS_OK);
  CHECK(core_error(vnaccs_sign_cms(key, content, sizeof content - 1, NULL, sig, sizeof sig, &len)));
  CHECK(last_error_is("pin_incorrect"));
  vnaccs_key_free(key);
  key = NULL;

  CHECK(core_error(vnaccs_key_from_token(NULL, "No such token", serial, "246810", &key)));
  CHECK(key == NULL);
  CHECK(core_error(vnaccs_key_from_token(NULL, NULL, other, "246810", &key)));
  CHECK(last_error_is("token_object_not_found"));
  CHECK(vnaccs_key_from_token(NULL, NULL, NULL, "246810", &key) == VNACCS_NULL_ARGUMENT);

  /* Whichever token holds the certificate. */
  CHECK(vnaccs_key_from_token(NULL, NULL, serial, "246810", &key) == VNACCS_OK);
  if (key != NULL) signs_and_openssl_verifies(key, "token");
  vnaccs_key_free(key);
  /* No key uses the module any more: it is finalised and unloaded. */
  CHECK(vnaccs_pkcs11_release_unused(&len) == VNACCS_OK);
  CHECK(len >= 1);
  CHECK(vnaccs_pkcs11_release_unused(&len) == VNACCS_OK);
  CHECK(len == 0);
}

int main(int argc, char **argv) {
  CHECK(argc == 3);
  if (argc != 3) return test_end(argv[0]);
  snprintf(dir, sizeof dir, "%s", argv[2]);
  pem_pair();
  token();
  return test_end(argv[0]);
}
