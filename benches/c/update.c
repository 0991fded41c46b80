/* The whole update A→D from C through the C ABI (benches/compare.sh), to compare with the same
   update in Rust: update DIR ROUNDS, where DIR holds the test PKI's files and scenario.json (as
   `vnaccs sandbox --export` or vnaccs_sandbox_start write them). Each round starts a sandbox on
   the scenario, then times the job from vnaccs_job_start to its finished event (captchas
   answered from the sandbox); prints the median and each round's seconds as JSON. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vnaccs.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  long n;
  char *data;
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = malloc((size_t)n + 1);
  if (data != NULL && fread(data, 1, (size_t)n, f) == (size_t)n) {
    data[n] = 0;
  } else {
    free(data);
    data = NULL;
  }
  fclose(f);
  return data;
}

static void fail(const char *what) {
  char error[4096];
  size_t len = 0;
  if (vnaccs_last_error(error, sizeof error, &len) != VNACCS_OK) error[0] = 0;
  fprintf(stderr, "%s: %s\n", what, error);
  exit(1);
}

/* One update on sandbox; returns its seconds. */
static double update(VnaccsSandbox *sandbox, const char *dir) {
  static char request[16384], url[256], event[1 << 16], answer[64];
  size_t len = 0;
  VnaccsJob *job = NULL;
  double start;
  if (vnaccs_sandbox_url(sandbox, url, sizeof url, &len) != VNACCS_OK) fail("url");
  snprintf(request, sizeof request,
           "{\"schema_version\":1,\"operation\":\"update\","
           "\"enterprise\":{\"tax_code\":\"0302345459\",\"representative_id\":\"001085012345\","
           "\"admin_email\":\"admin@saigontrade.vn\",\"sender_name\":\"Nguyễn Văn An\","
           "\"sender_email\":\"khaibao@saigontrade.vn\",\"office\":\"01B1\"},"
           "\"keys\":{\"source\":\"files\",\"pem\":["
           "{\"certificate\":\"%s/old.pem\",\"key\":\"%s/old.key.pem\"},"
           "{\"certificate\":\"%s/new.pem\",\"key\":\"%s/new.key.pem\"}]},"
           "\"portal\":{\"base_url\":\"%s\"}}",
           dir, dir, dir, dir, url);
  start = now();
  if (vnaccs_job_start(request, "Hq@2026vnaccs", NULL, NULL, &job) != VNACCS_OK) fail("start");
  for (;;) {
    if (vnaccs_job_next(job, -1, event, sizeof event, &len) != VNACCS_OK) fail("next");
    if (strstr(event, "\"event\":\"need_captcha\"") != NULL) {
      if (vnaccs_sandbox_captcha_answer(sandbox, answer, sizeof answer, &len) != VNACCS_OK ||
          vnaccs_job_provide_captcha(job, answer) != VNACCS_OK)
        fail("captcha");
    } else if (strstr(event, "\"event\":\"progress\"") == NULL) {
      break;
    }
  }
  vnaccs_job_free(job);
  if (strstr(event, "\"event\":\"finished\"") == NULL) {
    fprintf(stderr, "%s\n", event);
    exit(1);
  }
  return now() - start;
}

int main(int argc, char **argv) {
  char path[4096], *scenario;
  double *times;
  int rounds, i;
  if (argc != 3 || (rounds = atoi(argv[2])) < 1) {
    fprintf(stderr, "usage: %s DIR ROUNDS\n", argv[0]);
    return 2;
  }
  snprintf(path, sizeof path, "%s/scenario.json", argv[1]);
  if ((scenario = read_file(path)) == NULL) {
    fprintf(stderr, "cannot read %s\n", path);
    return 1;
  }
  times = malloc(sizeof *times * (size_t)rounds);
  if (times == NULL) return 1;
  for (i = 0; i < rounds; i++) {
    VnaccsSandbox *sandbox = NULL;
    if (vnaccs_sandbox_start(scenario, NULL, &sandbox) != VNACCS_OK) fail("sandbox");
    times[i] = update(sandbox, argv[1]);
    vnaccs_sandbox_free(sandbox);
  }
  printf("{\"rounds\": [");
  for (i = 0; i < rounds; i++) printf("%s%.6f", i ? ", " : "", times[i]);
  qsort(times, (size_t)rounds, sizeof *times, compare);
  printf("], \"median\": %.6f}\n", times[rounds / 2]);
  free(times);
  free(scenario);
  return 0;
}
