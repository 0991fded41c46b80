/* The whole update against the sandbox through the pull API (argv[2] is the test PKI folder):
   a job cancelled from another thread while it waits for a captcha; then the update with
   progress read and captchas answered, Customs' approval, the result (E) and a password (F). */
#include <pthread.h>

#include "test.h"

static char dir[1024];

static char *path_in(const char *name) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

/* The string value of "key":"…" in json, copied into out. */
static int json_string(const char *json, const char *key, char *out, size_t cap) {
  char needle[64];
  const char *at, *end;
  snprintf(needle, sizeof needle, "\"%s\":\"", key);
  at = strstr(json, needle);
  if (at == NULL) return 0;
  at += strlen(needle);
  end = strchr(at, '"');
  if (end == NULL || (size_t)(end - at) >= cap) return 0;
  memcpy(out, at, (size_t)(end - at));
  out[end - at] = 0;
  return 1;
}

/* The next event, grown into *buf as needed. */
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

/* Runs a job to its end, answering captchas from the sandbox; returns its last event. */
static char *run(VnaccsSandbox *sandbox, const char *request, int *progress,
                 const char *new_password) {
  VnaccsJob *job = NULL;
  size_t cap = 256, len = 0;
  char *event = malloc(cap), answer[64];
  if (vnaccs_job_start(request, "Hq@2026vnaccs", NULL, new_password, &job) != VNACCS_OK) {
    fprintf(stderr, "start: %s\n", last_error());
    free(event);
    return NULL;
  }
  for (;;) {
    if (next_event(job, &event, &cap) != VNACCS_OK) {
      fprintf(stderr, "next: %s\n", last_error());
      free(event);
      event = NULL;
      break;
    }
    if (strstr(event, "\"event\":\"progress\"") != NULL) {
      CHECK(strstr(event, "\"message_vi\":\"") != NULL);
      ++*progress;
    } else if (strstr(event, "\"event\":\"need_captcha\"") != NULL) {
      CHECK(strstr(event, "\"image_png\":\"iVBORw0KGgo") != NULL); /* a PNG, base64 */
      CHECK(vnaccs_sandbox_captcha_answer(sandbox, answer, sizeof answer, &len) == VNACCS_OK);
      CHECK(len > 0);
      CHECK(vnaccs_job_provide_captcha(job, answer) == VNACCS_OK);
    } else {
      break; /* finished or failed (a need_pin cannot come with file keys) */
    }
  }
  vnaccs_job_free(job);
  return event;
}

static char *request(const char *operation, const char *url, const char *old_serial) {
  static char json[16384];
  snprintf(json, sizeof json,
           "{\"schema_version\":1,\"operation\":\"%s\","
           "\"enterprise\":{\"tax_code\":\"0302345459\",\"representative_id\":\"001085012345\","
           "\"admin_email\":\"admin@saigontrade.vn\",\"sender_name\":\"Nguyễn Văn An\","
           "\"sender_email\":\"khaibao@saigontrade.vn\",\"office\":\"01B1\","
           "\"old_serial\":\"%s\"},"
           "\"keys\":{\"source\":\"files\",\"pem\":["
           "{\"certificate\":\"%s/old.pem\",\"key\":\"%s/old.key.pem\"},"
           "{\"certificate\":\"%s/new.pem\",\"key\":\"%s/new.key.pem\"}]},"
           "\"portal\":{\"base_url\":\"%s\"}}",
           operation, old_serial, dir, dir, dir, dir, url);
  return json;
}

static void *cancel_soon(void *job) {
  CHECK(vnaccs_job_cancel((VnaccsJob *)job) == VNACCS_OK);
  return NULL;
}

/* A job waiting for a captcha answer, cancelled from another thread while this one waits. */
static void cancel_from_another_thread(const char *req) {
  VnaccsJob *job = NULL;
  pthread_t thread;
  size_t cap = 256, len = 0;
  char *event = malloc(cap);
  int32_t status;
  CHECK(vnaccs_job_start(req, "Hq@2026vnaccs", NULL, NULL, &job) == VNACCS_OK);
  if (job == NULL) {
    free(event);
    return;
  }
  do {
    status = next_event(job, &event, &cap);
  } while (status == VNACCS_OK && strstr(event, "\"event\":\"need_captcha\"") == NULL);
  CHECK(status == VNACCS_OK);
  /* Nothing happens while the captcha waits: a bounded wait times out, the job unchanged. */
  CHECK(vnaccs_job_next(job, 50, event, cap, &len) == VNACCS_TIMEOUT);
  CHECK(last_error_is("timeout"));
  CHECK(pthread_create(&thread, NULL, cancel_soon, job) == 0);
  status = next_event(job, &event, &cap); /* blocks until the cancel */
  CHECK(pthread_join(thread, NULL) == 0);
  CHECK(status == VNACCS_OK);
  CHECK(strstr(event, "\"event\":\"failed\"") != NULL);
  CHECK(strstr(event, "\"code\":\"cancelled\"") != NULL);
  CHECK(vnaccs_job_provide_captcha(job, "X") == VNACCS_WRONG_STATE);
  free(event);
  vnaccs_job_free(job);
}

int main(int argc, char **argv) {
  VnaccsSandbox *sandbox = NULL;
  VnaccsCertificate *old = NULL;
  unsigned char *scenario, *old_pem;
  size_t scenario_len = 0, old_len = 0, len = 0, approved = 0;
  char url[256], view[8192], serial[128], user_id[64], *event;
  static char change[16384];
  int progress = 0;

  CHECK(argc == 3);
  if (argc != 3) return test_end(argv[0]);
  snprintf(dir, sizeof dir, "%s", argv[2]);
  scenario = read_file(path_in("scenario.json"), &scenario_len);
  old_pem = read_file(path_in("old.pem"), &old_len);
  CHECK(scenario != NULL && old_pem != NULL);
  if (scenario == NULL || old_pem == NULL) return test_end(argv[0]);
  CHECK(vnaccs_certificate_load(old_pem, old_len, 0, &old) == VNACCS_OK);
  CHECK(vnaccs_certificate_view(old, view, sizeof view, &len) == VNACCS_OK);
  CHECK(json_string(view, "serial", serial, sizeof serial));
  vnaccs_certificate_free(old);

  CHECK(vnaccs_sandbox_start((const char *)scenario, NULL, &sandbox) == VNACCS_OK);
  if (sandbox == NULL) {
    fprintf(stderr, "sandbox: %s\n", last_error());
    return test_end(argv[0]);
  }
  CHECK(vnaccs_sandbox_url(sandbox, url, sizeof url, &len) == VNACCS_OK);
  CHECK(strncmp(url, "http://127.0.0.1:", 17) == 0);

  /* First a job cancelled while it waits, which sends nothing. */
  cancel_from_another_thread(request("update", url, serial));

  /* The update, A to D. */
  event = run(sandbox, request("update", url, serial), &progress, NULL);
  CHECK(event != NULL && strstr(event, "\"event\":\"finished\"") != NULL);
  CHECK(event != NULL && strstr(event, "\"output\":\"outcome\"") != NULL);
  if (event != NULL && strstr(event, "finished") == NULL) fprintf(stderr, "%s\n", event);
  CHECK(progress > 3);
  free(event);

  /* Customs approves; the result (E) lists the users. */
  CHECK(vnaccs_sandbox_approve_sent(sandbox, &approved) == VNACCS_OK);
  CHECK(approved >= 1);
  event = run(sandbox, request("result", url, serial), &progress, NULL);
  CHECK(event != NULL && strstr(event, "\"output\":\"result\"") != NULL);
  if (event != NULL && strstr(event, "finished") == NULL) fprintf(stderr, "%s\n", event);
  CHECK(event != NULL && json_string(event, "user_id", user_id, sizeof user_id));
  free(event);

  /* F: the new password is an argument, never in the request. */
  snprintf(change, sizeof change, "%s", request("change_password", url, serial));
  snprintf(strrchr(change, '}'), sizeof change - strlen(change), ",\"user_id\":\"%s\"}", user_id);
  event = run(sandbox, change, &progress, "DEMO2026");
  CHECK(event != NULL && strstr(event, "\"event\":\"finished\"") != NULL);
  CHECK(event != NULL && strstr(event, "\"output\":\"password_outcome\"") != NULL);
  CHECK(event != NULL && strstr(event, "\"kind\":\"changed\"") != NULL);
  CHECK(event != NULL && strstr(event, "\"usable_from\":\"") != NULL);
  if (event != NULL && strstr(event, "finished") == NULL) fprintf(stderr, "%s\n", event);
  free(event);

  vnaccs_sandbox_free(sandbox);
  free(scenario);
  free(old_pem);
  return test_end(argv[0]);
}
