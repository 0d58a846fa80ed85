/*
 * A fault-injecting Harmonia adapter in plain C, for the reliability tests: every way an
 * adapter can misbehave at the ABI, on request. Component "faults". Build:
 *
 *   cc -shared -fPIC -std=c11 -I Plugins/HarmoniaPluginKit/Sources/CHarmoniaPluginABI/include \
 *      -o libfaults.so Plugins/FaultInjectionC/fault_adapter.c -lpthread
 *
 * Actions (input: a flat JSON object):
 *   latency {ms}              completes from another thread after `ms` with {"waited_ms": ms}
 *   error {code, retryable}   fails with `code` (default "injected_failure"); retryable when
 *                             the input has "retryable": true
 *   flaky {fail_attempts}     fails retryably ("injected_flake") while the attempt (from the
 *                             context) is at most `fail_attempts`, then succeeds {"attempt": n}
 *   never                     never completes, and ignores cancels
 *   twice                     completes twice from another thread: {"n": 1}, then {"n": 2}
 *   malformed                 succeeds with output that is not JSON
 *   crash {how, crash_attempts}
 *                             how = "abort": abort(); otherwise writes through NULL. With
 *                             `crash_attempts`, only attempts up to it crash; later ones
 *                             succeed {"attempt": n}. In process a crash ends the whole
 *                             server; under isolation: process only its plugin host
 *                             (docs/plugin-abi.md §3.4).
 *
 * The JSON handling finds one field without escapes; it is a test adapter.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep under -std=c11 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harmonia_plugin.h"

static const harmonia_type_host_table *host;

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

/* The raw text after "key": in a flat JSON object (a number, true/false, or a quoted
 * string without its quotes), copied into out; 0 when the key is absent. */
static int find_value(harmonia_type_borrowed_bytes json, const char *key, char *out, size_t out_size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\"", key);
    size_t plen = strlen(pattern);
    for (size_t i = 0; i + plen <= json.len; i++) {
        if (memcmp(json.ptr + i, pattern, plen) != 0) continue;
        size_t j = i + plen;
        while (j < json.len && (json.ptr[j] == ' ' || json.ptr[j] == ':')) j++;
        int quoted = j < json.len && json.ptr[j] == '"';
        if (quoted) j++;
        size_t n = 0;
        while (j < json.len && n + 1 < out_size) {
            char c = json.ptr[j];
            if (quoted ? c == '"' : (c == ',' || c == '}' || c == ' ')) break;
            out[n++] = c;
            j++;
        }
        out[n] = '\0';
        return 1;
    }
    return 0;
}

static double number(harmonia_type_borrowed_bytes json, const char *key, double fallback) {
    char text[64];
    return find_value(json, key, text, sizeof text) ? strtod(text, NULL) : fallback;
}

static bool equals(harmonia_type_borrowed_bytes bytes, const char *text) {
    size_t len = strlen(text);
    return bytes.len == len && memcmp(bytes.ptr, text, len) == 0;
}

static void pause_ms(double ms) {
    struct timespec delay;
    delay.tv_sec = (time_t)(ms / 1000);
    delay.tv_nsec = (long)((ms - (double)delay.tv_sec * 1000) * 1e6);
    while (nanosleep(&delay, &delay) != 0) {
    }
}

/* ------------------------------------------------------------ threaded actions */

struct job {
    harmonia_type_invocation_id id;
    double ms;
    bool twice;
};

static void *job_thread(void *arg) {
    struct job *job = arg;
    if (job->twice) {
        complete(job->id, HARMONIA_STATUS_SUCCEEDED, "{\"n\": 1}", "", "", false);
        pause_ms(20);
        complete(job->id, HARMONIA_STATUS_SUCCEEDED, "{\"n\": 2}", "", "", false);
    } else {
        pause_ms(job->ms);
        char output[64];
        snprintf(output, sizeof output, "{\"waited_ms\": %g}", job->ms);
        complete(job->id, HARMONIA_STATUS_SUCCEEDED, output, "", "", false);
    }
    free(job);
    return NULL;
}

static void start_job(harmonia_type_invocation_id id, double ms, bool twice) {
    struct job *job = calloc(1, sizeof *job);
    pthread_t thread;
    if (job == NULL) {
        complete(id, HARMONIA_STATUS_FAILED, "", "injected_failure", "out of memory", true);
        return;
    }
    job->id = id;
    job->ms = ms;
    job->twice = twice;
    if (pthread_create(&thread, NULL, job_thread, job) != 0) {
        free(job);
        complete(id, HARMONIA_STATUS_FAILED, "", "injected_failure", "cannot start a thread", true);
        return;
    }
    pthread_detach(thread);
}

/* ------------------------------------------------------------------ hooks */

static bool on_init(const harmonia_type_host_table *table, harmonia_type_host_plugin *plugin,
                    harmonia_type_error_sink *error) {
    (void)plugin;
    (void)error;
    host = table;
    return true;
}

static void on_shutdown(void) {}

static harmonia_type_instance *on_instance_new(harmonia_type_borrowed_bytes component,
                                               harmonia_type_borrowed_bytes config_json,
                                               harmonia_type_error_sink *error) {
    (void)component;
    (void)config_json;
    (void)error;
    static int instance;
    return (harmonia_type_instance *)&instance;
}

static void on_instance_destroy(harmonia_type_instance *instance) { (void)instance; }

static void on_invoke(harmonia_type_instance *instance, harmonia_type_invocation_id id,
                      harmonia_type_borrowed_bytes action, harmonia_type_borrowed_bytes input_json,
                      harmonia_type_borrowed_bytes context_json) {
    (void)instance;
    if (equals(action, "latency")) {
        start_job(id, number(input_json, "ms", 100), false);
    } else if (equals(action, "error")) {
        char code[64] = "injected_failure";
        char retryable[16] = "";
        find_value(input_json, "code", code, sizeof code);
        find_value(input_json, "retryable", retryable, sizeof retryable);
        complete(id, HARMONIA_STATUS_FAILED, "", code, "failed on request", strcmp(retryable, "true") == 0);
    } else if (equals(action, "flaky")) {
        double attempt = number(context_json, "attempt", 1);
        if (attempt <= number(input_json, "fail_attempts", 1)) {
            complete(id, HARMONIA_STATUS_FAILED, "", "injected_flake", "flaky on request", true);
        } else {
            char output[64];
            snprintf(output, sizeof output, "{\"attempt\": %g}", attempt);
            complete(id, HARMONIA_STATUS_SUCCEEDED, output, "", "", false);
        }
    } else if (equals(action, "never")) {
        /* Nothing: the host's deadline (or its cancel grace) ends the call. */
    } else if (equals(action, "twice")) {
        start_job(id, 0, true);
    } else if (equals(action, "malformed")) {
        complete(id, HARMONIA_STATUS_SUCCEEDED, "{\"unterminated\": ", "", "", false);
    } else if (equals(action, "crash")) {
        /* `crash_attempts`: crash only on the first N attempts, then succeed (for retries
         * after a plugin host restart); absent, every attempt crashes. */
        double attempt = number(context_json, "attempt", 1);
        if (attempt > number(input_json, "crash_attempts", 1e9)) {
            char output[64];
            snprintf(output, sizeof output, "{\"attempt\": %g}", attempt);
            complete(id, HARMONIA_STATUS_SUCCEEDED, output, "", "", false);
            return;
        }
        char how[16] = "";
        find_value(input_json, "how", how, sizeof how);
        if (strcmp(how, "abort") == 0) abort();
        volatile int *nowhere = NULL;
        *nowhere = 1;
    } else {
        complete(id, HARMONIA_STATUS_FAILED, "", "unknown_action", "the faults component has no such action", false);
    }
}

static void on_cancel(harmonia_type_instance *instance, harmonia_type_invocation_id id) {
    (void)instance;
    (void)id; /* ignored on purpose: `never` does not answer cancels either */
}

/* ------------------------------------------------------------- descriptor */

static const harmonia_type_plugin_descriptor descriptor = {
    .struct_size = sizeof(harmonia_type_plugin_descriptor),
    .abi_major = HARMONIA_ABI_VERSION_MAJOR,
    .abi_minor = HARMONIA_ABI_VERSION_MINOR,
    .name = "faults",
    .version = "1.0.0",
    .build_signature = HARMONIA_SIGNATURE_C,
    .manifest_json =
        "{\"components\": [{\"name\": \"faults\", \"description\": \"Fault-injecting test adapter\", \"actions\": ["
        "{\"name\": \"latency\", \"description\": \"Completes after `ms`\"},"
        "{\"name\": \"error\", \"description\": \"Fails with `code`, retryable on request\"},"
        "{\"name\": \"flaky\", \"description\": \"Fails retryably for `fail_attempts` attempts, then succeeds\"},"
        "{\"name\": \"never\", \"description\": \"Never completes, ignores cancels\"},"
        "{\"name\": \"twice\", \"description\": \"Completes twice\"},"
        "{\"name\": \"malformed\", \"description\": \"Succeeds with output that is not JSON\"},"
        "{\"name\": \"crash\", \"description\": \"abort() or a NULL write\"}]}]}",
    .on_init = on_init,
    .on_shutdown = on_shutdown,
    .on_instance_new = on_instance_new,
    .on_instance_destroy = on_instance_destroy,
    .on_invoke = on_invoke,
    .on_cancel = on_cancel,
};

HARMONIA_PLUGIN_EXPORT const harmonia_type_plugin_descriptor *harmonia_plugin_describe(void) { return &descriptor; }
