/* The boundary's error paths: NULL, invalid UTF-8, bad JSON, buffer too small then right,
   use in the wrong state; each with its status and its last error. */
#include "test.h"

/* A request that fails at once: nothing listens on port 9. */
static const char *unreachable =
    "{\"schema_version\":1,\"operation\":\"forgot_password\","
    "\"enterprise\":{\"tax_code\":\"0302345459\",\"admin_email\":\"admin@saigontrade.vn\"},"
    "\"portal\":{\"base_url\":\"http://127.0.0.1:9/\",\"timeout_secs\":5}}";

static void null_arguments(void) {
  char buf[64];
  size_t len = 3;
  VnaccsJob *job = NULL;
  CHECK(vnaccs_identifier_normalize(NULL, "x", buf, sizeof buf, &len) == VNACCS_NULL_ARGUMENT);
  CHECK(last_error_is("null_argument"));
  CHECK(strstr(last_error(), "kind") != NULL);
  CHECK(vnaccs_identifier_normalize("tax_code", NULL, buf, sizeof buf, &len) ==
        VNACCS_NULL_ARGUMENT);
  CHECK(vnaccs_identifier_normalize("tax_code", "0302345459", buf, sizeof buf, NULL) ==
        VNACCS_NULL_ARGUMENT);
  CHECK(vnaccs_identifier_normalize("tax_code", "0302345459", NULL, 10, &len) ==
        VNACCS_NULL_ARGUMENT);
  CHECK(len == 3); /* untouched on failure */
  CHECK(vnaccs_job_start(NULL, NULL, NULL, NULL, &job) == VNACCS_NULL_ARGUMENT);
  CHECK(job == NULL);
  CHECK(vnaccs_job_start(unreachable, NULL, NULL, NULL, NULL) == VNACCS_NULL_ARGUMENT);
  CHECK(vnaccs_job_next(NULL, 0, buf, sizeof buf, &len) == VNACCS_NULL_ARGUMENT);
  CHECK(vnaccs_job_cancel(NULL) == VNACCS_NULL_ARGUMENT);
  CHECK(vnaccs_certificate_view(NULL, buf, sizeof buf, &len) == VNACCS_NULL_ARGUMENT);
  CHECK(vnaccs_sandbox_url(NULL, buf, sizeof buf, &len) == VNACCS_NULL_ARGUMENT);
  CHECK(vnaccs_certificates_inspect(NULL, 5, buf, sizeof buf, &len) == VNACCS_NULL_ARGUMENT);
  /* Every _free accepts NULL. */
  vnaccs_job_free(NULL);
  vnaccs_certificate_free(NULL);
  vnaccs_sandbox_free(NULL);
}

static void invalid_utf8(void) {
  char buf[64];
  size_t len = 0;
  const char bad[] = {'0', '3', (char)0xC3, (char)0x28, 0}; /* a broken two-byte sequence */
  CHECK(vnaccs_identifier_normalize("tax_code", bad, buf, sizeof buf, &len) ==
        VNACCS_INVALID_UTF8);
  CHECK(last_error_is("invalid_encoding"));
  CHECK(strstr(last_error(), "\"message_vi\":\"Tham số value") != NULL);
  CHECK(strstr(last_error(), "\"hint\":") != NULL);
}

static void bad_json(void) {
  VnaccsJob *job = NULL;
  VnaccsSandbox *sandbox = NULL;
  CHECK(vnaccs_job_start("{\"schema_version\":1,", NULL, NULL, NULL, &job) ==
        VNACCS_INVALID_JSON);
  CHECK(last_error_is("invalid_json"));
  CHECK(job == NULL);
  /* Well-formed but not a request: the core's error. */
  CHECK(core_error(
      vnaccs_job_start("{\"schema_version\":1,\"operation\":\"fly\"}", NULL, NULL, NULL, &job)));
  CHECK(last_error_is("invalid_request"));
  CHECK(job == NULL);
  CHECK(vnaccs_sandbox_start("[1,", NULL, &sandbox) == VNACCS_INVALID_JSON);
  CHECK(sandbox == NULL);
}

static void buffer_too_small_then_right(void) {
  char small[4], *right, *again;
  size_t len = 0, len2 = 0;
  CHECK(vnaccs_identifier_normalize("tax_code", "0302345459", small, sizeof small, &len) ==
        VNACCS_BUFFER_TOO_SMALL);
  CHECK(len == 10);
  CHECK(vnaccs_identifier_normalize("tax_code", "0302345459", NULL, 0, &len) ==
        VNACCS_BUFFER_TOO_SMALL);
  CHECK(len == 10);
  /* Exactly the length is one byte short: the NUL needs room too. */
  right = malloc(len + 1);
  CHECK(vnaccs_identifier_normalize("tax_code", "0302345459", right, len, &len2) ==
        VNACCS_BUFFER_TOO_SMALL);
  CHECK(vnaccs_identifier_normalize("tax_code", "0302345459", right, len + 1, &len2) ==
        VNACCS_OK);
  CHECK(len2 == len && strcmp(right, "0302345459") == 0);
  free(right);

  /* The last error: asking for it does not replace it, and it comes back identical. */
  CHECK(core_error(vnaccs_identifier_normalize("tax_code", "123", small, sizeof small, &len)));
  CHECK(vnaccs_last_error(small, sizeof small, &len) == VNACCS_BUFFER_TOO_SMALL);
  right = malloc(len + 1);
  again = malloc(len + 1);
  CHECK(vnaccs_last_error(right, len + 1, &len2) == VNACCS_OK && len2 == len);
  CHECK(vnaccs_last_error(again, len + 1, &len2) == VNACCS_OK && len2 == len);
  CHECK(memcmp(right, again, len + 1) == 0);
  CHECK(strstr(right, "invalid_tax_code") != NULL);
  free(right);
  free(again);
}

static void wrong_state(void) {
  VnaccsJob *job = NULL;
  char small[8], *event = NULL;
  size_t len = 0, len2 = 0;
  int32_t status;
  CHECK(vnaccs_job_start(unreachable, NULL, NULL, NULL, &job) == VNACCS_OK);
  if (job == NULL) return;
  /* No captcha or PIN is awaited. */
  CHECK(vnaccs_job_provide_captcha(job, "ABCD") == VNACCS_WRONG_STATE);
  CHECK(last_error_is("job_wrong_state"));
  CHECK(strstr(last_error(), "\"status\":8005") != NULL); /* the status returned */
  CHECK(vnaccs_job_provide_pin(job, "1234") == VNACCS_WRONG_STATE);
  /* Each event first into a buffer too small (twice: the same length), then whole. */
  for (;;) {
    status = vnaccs_job_next(job, 10000, small, sizeof small, &len);
    CHECK(status == VNACCS_BUFFER_TOO_SMALL);
    if (status != VNACCS_BUFFER_TOO_SMALL) break;
    CHECK(vnaccs_job_next(job, 10000, NULL, 0, &len2) == VNACCS_BUFFER_TOO_SMALL);
    CHECK(len2 == len);
    event = malloc(len + 1);
    status = vnaccs_job_next(job, 10000, event, len + 1, &len2);
    CHECK(len2 == len && strlen(event) == len);
    if (status != VNACCS_OK || strstr(event, "\"event\":\"progress\"") == NULL) break;
    free(event);
  }
  CHECK(status == VNACCS_OK);
  if (event != NULL) {
    CHECK(strstr(event, "\"event\":\"failed\"") != NULL);
    CHECK(strstr(event, "\"schema_version\":1") != NULL);
    CHECK(strstr(event, "\"message_vi\"") != NULL);
    free(event);
  }
  /* After the last event. */
  CHECK(vnaccs_job_next(job, 0, small, sizeof small, &len) == VNACCS_WRONG_STATE);
  CHECK(vnaccs_job_cancel(job) == VNACCS_OK); /* harmless once ended */
  vnaccs_job_free(job);
}

int main(int argc, char **argv) {
  (void)argc;
  null_arguments();
  invalid_utf8();
  bad_json();
  buffer_too_small_then_right();
  wrong_state();
  return test_end(argv[0]);
}
