/* Identifiers by kind: canonical forms, and the errors of invalid values and unknown kinds. */
#include "test.h"

static void normalizes(const char *kind, const char *value, const char *expected) {
  char buf[128];
  size_t len = 0;
  int32_t status = vnaccs_identifier_normalize(kind, value, buf, sizeof buf, &len);
  CHECK(status == VNACCS_OK);
  if (status == VNACCS_OK) {
    CHECK(strcmp(buf, expected) == 0);
    CHECK(len == strlen(expected));
  } else {
    fprintf(stderr, "%s %s: %s\n", kind, value, last_error());
  }
}

int main(int argc, char **argv) {
  char buf[128], expected[64];
  size_t len = 7;
  int32_t status;
  (void)argc;

  normalizes("tax_code", " 0302345459 ", "0302345459");
  normalizes("tax_code", "0106869738-012", "0106869738-012");
  normalizes("user_id", "V2060001", "V2060001");
  normalizes("office_code", "01B1", "01B1");
  normalizes("email", "admin@saigontrade.vn", "admin@saigontrade.vn");
  normalizes("personal_id", "001085012345", "001085012345");

  /* A wrong check digit: a core error, both languages, out_len untouched. */
  status = vnaccs_identifier_normalize("tax_code", "0302345458", buf, sizeof buf, &len);
  CHECK(core_error(status) && status >= 1000 && status < 2000); /* 1xxx: input */
  CHECK(len == 7);
  snprintf(expected, sizeof expected, "\"status\":%d", (int)status);
  CHECK(strstr(last_error(), expected) != NULL); /* the JSON's status is the one returned */
  CHECK(strstr(last_error(), "\"hint_vi\":\"") != NULL);
  CHECK(strstr(last_error(), "\"category\":\"input\"") != NULL);
  CHECK(last_error_is("invalid_tax_code"));
  CHECK(strstr(last_error(), "\"message_vi\":\"") != NULL);
  CHECK(strstr(last_error(), "\"status\":") != NULL);

  /* Each kind refuses what its type refuses. */
  CHECK(core_error(vnaccs_identifier_normalize("user_id", "V20600011", buf, sizeof buf, &len)));
  CHECK(core_error(vnaccs_identifier_normalize("email", "not an email", buf, sizeof buf, &len)));

  /* An unknown kind. */
  CHECK(vnaccs_identifier_normalize("TaxCode", "0302345459", buf, sizeof buf, &len) ==
        VNACCS_INVALID_ARGUMENT);
  CHECK(last_error_is("invalid_argument"));
  return test_end(argv[0]);
}
