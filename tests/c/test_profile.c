/* The site profile checked against saved pages: a page whose field was renamed is reported with
   the new name as its candidate; an overlay fixes it; the buffer and argument rules. */
#include "test.h"

/* Writes `text` to the file `dir`/`name`; the path in `path`. */
static int write_file(const char *dir, const char *name, const char *text, char *path, size_t size) {
  FILE *f;
  snprintf(path, size, "%s/%s", dir, name);
  f = fopen(path, "wb");
  if (f == NULL) return 0;
  fputs(text, f);
  return fclose(f) == 0;
}

int main(int argc, char **argv) {
  static char report[1 << 16];
  char page[1024], overlay[1024], missing[1024];
  const char *pages[1];
  size_t len = 0, needed = 0;
  int32_t status;
  char *small;

  if (argc < 3) return 2;
  CHECK(write_file(argv[2], "profile-login.html",
                   "<form id=\"form1\" action=\"./DangNhap.aspx\">"
                   "<input type=\"hidden\" name=\"ctl00$MainContent$hdChallengeKy\" /></form>",
                   page, sizeof page));
  CHECK(write_file(argv[2], "profile-fix.toml",
                   "[pages.login]\nchallenge = \"ctl00$MainContent$hdChallengeKy\"\n", overlay,
                   sizeof overlay));
  pages[0] = page;

  /* The built-in profile: the login page, its challenge missing, the new name proposed. */
  status = vnaccs_profile_check(pages, 1, NULL, report, sizeof report, &len);
  CHECK(status == VNACCS_OK);
  CHECK(len == strlen(report));
  CHECK(strstr(report, "\"schema_version\":1") != NULL);
  CHECK(strstr(report, "\"ok\":false") != NULL);
  CHECK(strstr(report, "\"page\":\"login\"") != NULL);
  CHECK(strstr(report, "\"candidates\":[\"ctl00$MainContent$hdChallengeKy\"") != NULL);

  /* Too small a buffer: the length, then the same text. */
  status = vnaccs_profile_check(pages, 1, NULL, NULL, 0, &needed);
  CHECK(status == VNACCS_BUFFER_TOO_SMALL);
  CHECK(needed == len);
  small = malloc(needed + 1);
  CHECK(small != NULL);
  if (small != NULL) {
    CHECK(vnaccs_profile_check(pages, 1, NULL, small, needed + 1, &len) == VNACCS_OK);
    CHECK(strcmp(small, report) == 0);
    free(small);
  }

  /* The overlay: the challenge is found under its new name. */
  status = vnaccs_profile_check(pages, 1, overlay, report, sizeof report, &len);
  CHECK(status == VNACCS_OK);
  CHECK(strstr(report, "\"key\":\"challenge\",\"name\":\"ctl00$MainContent$hdChallengeKy\","
                       "\"found\":true") != NULL);

  /* Arguments and files. */
  CHECK(vnaccs_profile_check(NULL, 1, NULL, report, sizeof report, &len) == VNACCS_NULL_ARGUMENT);
  CHECK(vnaccs_profile_check(pages, 0, NULL, report, sizeof report, &len) ==
        VNACCS_INVALID_ARGUMENT);
  snprintf(missing, sizeof missing, "%s/profile-none.html", argv[2]);
  pages[0] = missing;
  CHECK(core_error(vnaccs_profile_check(pages, 1, NULL, report, sizeof report, &len)));
  CHECK(last_error_is("io_error"));
  pages[0] = page;
  CHECK(core_error(vnaccs_profile_check(pages, 1, page, report, sizeof report, &len)));
  CHECK(last_error_is("site_profile"));
  return test_end(argv[0]);
}
