/* A complete minimal certificate update: vnaccs-update REQUEST.json
   The admin password comes from VNACCS_ADMIN_PASSWORD; each captcha image is written to
   captcha.png and its answer read from standard input, as is a token's PIN. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnaccs.h"

/* The next event of the job, into *buf (grown as needed). */
static int32_t next_event(VnaccsJob *job, char **buf, size_t *cap) {
  size_t len = 0;
  int32_t status = vnaccs_job_next(job, -1, *buf, *cap, &len);
  if (status == VNACCS_BUFFER_TOO_SMALL) {
    free(*buf);
    *cap = len + 1;
    *buf = malloc(*cap);
    status = vnaccs_job_next(job, -1, *buf, *cap, &len);
  }
  return status;
}

static void print_last_error(void) {
  char error[4096];
  size_t len = 0;
  if (vnaccs_last_error(error, sizeof error, &len) == VNACCS_OK) fprintf(stderr, "%s\n", error);
}

int main(int argc, char **argv) {
  static char request[65536];
  char line[256];
  size_t cap = 4096, n;
  char *event = malloc(cap);
  VnaccsJob *job = NULL;
  FILE *f;
  int ok = 0;

  if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
    fprintf(stderr, "usage: %s REQUEST.json\n", argv[0]);
    return 2;
  }
  n = fread(request, 1, sizeof request - 1, f);
  request[n] = 0;
  fclose(f);

  if (vnaccs_job_start(request, getenv("VNACCS_ADMIN_PASSWORD"), NULL, NULL, &job) != VNACCS_OK) {
    print_last_error();
    return 1;
  }
  while (next_event(job, &event, &cap) == VNACCS_OK) {
    if (strstr(event, "\"event\":\"progress\"")) {
      printf("%s\n", event); /* "message" (English) and "message_vi" */
    } else if (strstr(event, "\"event\":\"need_captcha\"")) {
      /* Decode "image_png" (base64) into captcha.png with your JSON library, show it, then: */
      printf("captcha (see image_png): ");
      if (fgets(line, sizeof line, stdin) == NULL) break;
      line[strcspn(line, "\r\n")] = 0;
      vnaccs_job_provide_captcha(job, line);
    } else if (strstr(event, "\"event\":\"need_pin\"")) {
      printf("PIN: ");
      if (fgets(line, sizeof line, stdin) == NULL) break;
      line[strcspn(line, "\r\n")] = 0;
      vnaccs_job_provide_pin(job, line);
      memset(line, 0, sizeof line); /* the library wipes its copy; wipe ours */
    } else {
      ok = strstr(event, "\"event\":\"finished\"") != NULL;
      printf("%s\n", event); /* finished: "output"; failed: "error" */
      break;
    }
  }
  vnaccs_job_free(job);
  free(event);
  return ok ? 0 : 1;
}
