/*
 * example_adapter.c — a complete Harmonia adapter in plain C (component "example").
 *
 * Built against the header alone:
 *   cc -shared -fPIC -O2 -I../HarmoniaPluginKit/Sources/CHarmoniaPluginABI/include \
 *      -o libexample_adapter.so example_adapter.c -lpthread
 *
 * Actions:
 *   noop                  completes at once (inside invoke) with {}
 *   upper {text}          completes from another thread with {"result": TEXT}
 *   sleep {seconds}       completes from another thread after `seconds` with {"slept": seconds}
 *   fail                  fails with code "example_failure" (not retryable)
 *   wait                  completes only when canceled (status CANCELED)
 *   fetch {url}           GETs url through the host's HTTP client; {"result": status, "bytes": n}
 *   never                 never completes, even when canceled (for timeout tests)
 *   twice                 completes twice (the host must ignore the second)
 *   badjson               "succeeds" with output that is not JSON
 *
 * The JSON handling is deliberately tiny (it finds one string field without escapes);
 * a real adapter would use a JSON library.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep under -std=c11 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harmonia_plugin.h"

/* The reload tests build a second version with -DEXAMPLE_VERSION='"2.0.0"'. */
#ifndef EXAMPLE_VERSION
#define EXAMPLE_VERSION "1.0.0"
#endif

static const harmonia_type_host_table *host;
static harmonia_type_host_plugin *host_plugin;

/* Invocations of "wait" that are still waiting for a cancel. */
#define MAX_WAITING 64
static pthread_mutex_t waiting_lock = PTHREAD_MUTEX_INITIALIZER;
static harmonia_type_invocation_id waiting[MAX_WAITING];

struct instance {
    char prefix[64]; /* options.prefix, prepended to upper's result */
};

static void log_line(harmonia_type_log_level level, harmonia_type_invocation_id id, const char *text) {
    host->log(host_plugin, level, id, harmonia_bytes_from_cstring(text));
}

static void complete(harmonia_type_invocation_id id, harmonia_type_status status, const char *output,
                     const char *code, const char *message, bool retryable) {
    harmonia_type_outcome outcome;
    memset(&outcome, 0, sizeof outcome);
    outcome.struct_size = sizeof outcome;
    outcome.status = status;
    outcome.output_json = harmonia_bytes_from_cstring(output);
    outcome.error_code = harmonia_bytes_from_cstring(code);
    outcome.error_message = harmonia_bytes_from_cstring(message);
    outcome.retryable = retryable;
    host->complete(id, &outcome);
}

/* Copies the string value of "key" from a flat JSON object into out (no escapes). */
static int find_string(harmonia_type_borrowed_bytes json, const char *key, char *out, size_t out_size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\"", key);
    size_t plen = strlen(pattern);
    for (size_t i = 0; i + plen <= json.len; i++) {
        if (memcmp(json.ptr + i, pattern, plen) != 0) continue;
        size_t j = i + plen;
        while (j < json.len && (json.ptr[j] == ' ' || json.ptr[j] == ':')) j++;
        if (j >= json.len || json.ptr[j] != '"') return 0;
        j++;
        size_t n = 0;
        while (j < json.len && json.ptr[j] != '"' && n + 1 < out_size) out[n++] = json.ptr[j++];
        out[n] = '\0';
        return 1;
    }
    return 0;
}

/* Reads the number value of "key" from a flat JSON object into out. */
static int find_number(harmonia_type_borrowed_bytes json, const char *key, double *out) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\"", key);
    size_t plen = strlen(pattern);
    for (size_t i = 0; i + plen <= json.len; i++) {
        if (memcmp(json.ptr + i, pattern, plen) != 0) continue;
        size_t j = i + plen;
        while (j < json.len && (json.ptr[j] == ' ' || json.ptr[j] == ':')) j++;
        char digits[32];
        size_t n = 0;
        while (j < json.len && n + 1 < sizeof digits && strchr("0123456789.-+eE", json.ptr[j]) != NULL) {
            digits[n++] = json.ptr[j++];
        }
        digits[n] = '\0';
        if (n == 0) return 0;
        *out = strtod(digits, NULL);
        return 1;
    }
    return 0;
}

static bool equals(harmonia_type_borrowed_bytes bytes, const char *text) {
    size_t len = strlen(text);
    return bytes.len == len && memcmp(bytes.ptr, text, len) == 0;
}

/* ------------------------------------------------------------------ hooks */

static bool on_init(const harmonia_type_host_table *table, harmonia_type_host_plugin *plugin,
                    harmonia_type_error_sink *errors) {
    if (table->struct_size < sizeof(harmonia_type_host_table)) {
        table->set_error(errors, harmonia_bytes_from_cstring("host table too old"));
        return false;
    }
    host = table;
    host_plugin = plugin;
    return true;
}

static void on_shutdown(void) {}

static harmonia_type_instance *on_instance_new(harmonia_type_borrowed_bytes component,
                                               harmonia_type_borrowed_bytes config_json,
                                               harmonia_type_error_sink *errors) {
    if (!equals(component, "example")) {
        host->set_error(errors, harmonia_bytes_from_cstring("this plugin serves only 'example'"));
        return NULL;
    }
    struct instance *instance = calloc(1, sizeof *instance);
    if (instance == NULL) return NULL;
    find_string(config_json, "prefix", instance->prefix, sizeof instance->prefix);
    if (strcmp(instance->prefix, "REJECT") == 0) {
        free(instance);
        host->set_error(errors, harmonia_bytes_from_cstring("prefix REJECT is not allowed"));
        return NULL;
    }
    return (harmonia_type_instance *)instance;
}

static void on_instance_destroy(harmonia_type_instance *instance) { free(instance); }

struct upper_job {
    harmonia_type_invocation_id id;
    char text[512];
};

static void *upper_thread(void *arg) {
    struct upper_job *job = arg;
    char output[1200];
    for (char *c = job->text; *c; c++) *c = (char)toupper((unsigned char)*c);
    snprintf(output, sizeof output, "{\"result\": \"%s\"}", job->text);
    complete(job->id, HARMONIA_STATUS_SUCCEEDED, output, "", "", false);
    free(job);
    return NULL;
}

struct sleep_job {
    harmonia_type_invocation_id id;
    double seconds;
};

static void *sleep_thread(void *arg) {
    struct sleep_job *job = arg;
    struct timespec delay;
    delay.tv_sec = (time_t)job->seconds;
    delay.tv_nsec = (long)((job->seconds - (double)delay.tv_sec) * 1e9);
    while (nanosleep(&delay, &delay) != 0) {
    }
    char output[64];
    snprintf(output, sizeof output, "{\"slept\": %g}", job->seconds);
    complete(job->id, HARMONIA_STATUS_SUCCEEDED, output, "", "", false);
    free(job);
    return NULL;
}

struct fetch_job {
    harmonia_type_invocation_id id;
};

static void on_fetch_response(void *user_data, const harmonia_type_http_response *response) {
    struct fetch_job *job = user_data;
    char output[128];
    if (response->transport_error != HARMONIA_HTTP_OK) {
        char message[300];
        snprintf(message, sizeof message, "fetch failed: %.*s", (int)response->error_message.len,
                 response->error_message.ptr);
        complete(job->id, HARMONIA_STATUS_FAILED, "", "component_unreachable", message, true);
    } else {
        snprintf(output, sizeof output, "{\"result\": %d, \"bytes\": %zu}", (int)response->status,
                 response->body.len);
        complete(job->id, HARMONIA_STATUS_SUCCEEDED, output, "", "", false);
    }
    free(job);
}

static void on_invoke(harmonia_type_instance *instance, harmonia_type_invocation_id id,
                      harmonia_type_borrowed_bytes action, harmonia_type_borrowed_bytes input_json,
                      harmonia_type_borrowed_bytes context_json) {
    (void)context_json;
    struct instance *self = (struct instance *)instance;
    if (equals(action, "noop")) {
        complete(id, HARMONIA_STATUS_SUCCEEDED, "{}", "", "", false);
    } else if (equals(action, "upper")) {
        struct upper_job *job = calloc(1, sizeof *job);
        char text[400] = "";
        if (job == NULL || !find_string(input_json, "text", text, sizeof text)) {
            free(job);
            complete(id, HARMONIA_STATUS_FAILED, "", "invalid_input", "upper needs a string `text`", false);
            return;
        }
        job->id = id;
        snprintf(job->text, sizeof job->text, "%s%s", self->prefix, text);
        pthread_t thread;
        if (pthread_create(&thread, NULL, upper_thread, job) != 0) {
            free(job);
            complete(id, HARMONIA_STATUS_FAILED, "", "example_failure", "cannot start a thread", true);
            return;
        }
        pthread_detach(thread);
    } else if (equals(action, "sleep")) {
        struct sleep_job *job = calloc(1, sizeof *job);
        if (job == NULL || !find_number(input_json, "seconds", &job->seconds) || job->seconds < 0 ||
            job->seconds > 3600) {
            free(job);
            complete(id, HARMONIA_STATUS_FAILED, "", "invalid_input", "sleep needs a number `seconds` in 0...3600",
                     false);
            return;
        }
        job->id = id;
        pthread_t thread;
        if (pthread_create(&thread, NULL, sleep_thread, job) != 0) {
            free(job);
            complete(id, HARMONIA_STATUS_FAILED, "", "example_failure", "cannot start a thread", true);
            return;
        }
        pthread_detach(thread);
    } else if (equals(action, "fail")) {
        complete(id, HARMONIA_STATUS_FAILED, "{\"component\": \"example\"}", "example_failure", "failed on request",
                 false);
    } else if (equals(action, "wait")) {
        pthread_mutex_lock(&waiting_lock);
        for (int i = 0; i < MAX_WAITING; i++) {
            if (waiting[i] == 0) {
                waiting[i] = id;
                break;
            }
        }
        pthread_mutex_unlock(&waiting_lock);
        log_line(HARMONIA_LOG_DEBUG, id, "wait: waiting for a cancel");
    } else if (equals(action, "fetch")) {
        char url[400] = "";
        struct fetch_job *job = calloc(1, sizeof *job);
        if (job == NULL || !find_string(input_json, "url", url, sizeof url)) {
            free(job);
            complete(id, HARMONIA_STATUS_FAILED, "", "invalid_input", "fetch needs a string `url`", false);
            return;
        }
        job->id = id;
        harmonia_type_http_request request;
        memset(&request, 0, sizeof request);
        request.struct_size = sizeof request;
        request.method = harmonia_bytes_from_cstring("GET");
        request.url = harmonia_bytes_from_cstring(url);
        request.headers_json = harmonia_bytes_from_cstring("{\"Accept\": \"application/json\"}");
        request.timeout_ms = 5000;
        request.invocation_id = id;
        host->http_request(host_plugin, &request, on_fetch_response, job);
    } else if (equals(action, "never")) {
        log_line(HARMONIA_LOG_DEBUG, id, "never: this call will not complete");
    } else if (equals(action, "twice")) {
        complete(id, HARMONIA_STATUS_SUCCEEDED, "{\"result\": \"first\"}", "", "", false);
        complete(id, HARMONIA_STATUS_SUCCEEDED, "{\"result\": \"second\"}", "", "", false);
    } else if (equals(action, "badjson")) {
        complete(id, HARMONIA_STATUS_SUCCEEDED, "{\"result\": not json", "", "", false);
    } else {
        complete(id, HARMONIA_STATUS_FAILED, "", "unknown_action", "the example component has no such action",
                 false);
    }
}

static void on_cancel(harmonia_type_instance *instance, harmonia_type_invocation_id id) {
    (void)instance;
    bool found = false;
    pthread_mutex_lock(&waiting_lock);
    for (int i = 0; i < MAX_WAITING; i++) {
        if (waiting[i] == id) {
            waiting[i] = 0;
            found = true;
            break;
        }
    }
    pthread_mutex_unlock(&waiting_lock);
    if (found) complete(id, HARMONIA_STATUS_CANCELED, "", "canceled", "wait canceled", false);
}

/* ------------------------------------------------------------- descriptor */


static const harmonia_type_plugin_descriptor descriptor = {
    .struct_size = sizeof(harmonia_type_plugin_descriptor),
    .abi_major = HARMONIA_ABI_VERSION_MAJOR,
    .abi_minor = HARMONIA_ABI_VERSION_MINOR,
    .name = "example",
    .version = EXAMPLE_VERSION,
    .build_signature = HARMONIA_SIGNATURE_C,
    .manifest_json =
        "{\"components\": [{\"name\": \"example\", \"description\": \"Example adapter in plain C\", \"actions\": ["
        "{\"name\": \"noop\", \"description\": \"Completes at once with {}\"},"
        "{\"name\": \"upper\", \"description\": \"Upper-cases text\", \"input_schema\": {\"type\": \"object\", "
        "\"required\": [\"text\"], \"properties\": {\"text\": {\"type\": \"string\"}}}},"
        "{\"name\": \"sleep\", \"description\": \"Completes after `seconds`\", \"input_schema\": {\"type\": "
        "\"object\", \"required\": [\"seconds\"], \"properties\": {\"seconds\": {\"type\": \"number\"}}}},"
        "{\"name\": \"fail\", \"description\": \"Fails\"},"
        "{\"name\": \"wait\", \"description\": \"Completes when canceled\"},"
        "{\"name\": \"fetch\", \"description\": \"GETs url through the host\", \"input_schema\": {\"type\": "
        "\"object\", \"required\": [\"url\"], \"properties\": {\"url\": {\"type\": \"string\"}}}},"
        "{\"name\": \"never\", \"description\": \"Never completes\"},"
        "{\"name\": \"twice\", \"description\": \"Completes twice\"},"
        "{\"name\": \"badjson\", \"description\": \"Returns invalid JSON\"}]}]}",
    .on_init = on_init,
    .on_shutdown = on_shutdown,
    .on_instance_new = on_instance_new,
    .on_instance_destroy = on_instance_destroy,
    .on_invoke = on_invoke,
    .on_cancel = on_cancel,
};

HARMONIA_PLUGIN_EXPORT const harmonia_type_plugin_descriptor *harmonia_plugin_describe(void) { return &descriptor; }
