/*
 * A plugin that keeps cleaning up after a cancel (component "linger", action "linger {url}").
 *
 * The call waits for a cancel. On the cancel it does not complete: a thread of its own
 * GETs url through the host, one request every 50 ms, logging each answer
 * ("linger request N: served, HTTP S", "linger request N: cut (KIND): MESSAGE" for one
 * still under way when the window closed, or "linger request N: refused (KIND): MESSAGE"),
 * until the host refuses one, and only then completes the call (CANCELED) and logs
 * "linger: done". The tests use it to show that the host serves a canceled call's
 * requests during its cleanup window and refuses them afterwards, and that a completion
 * after the host gave up is ignored.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harmonia_plugin.h"

static const harmonia_type_host_table *host;
static harmonia_type_host_plugin *host_plugin;

#define MAX_CALLS 16
struct call {
    harmonia_type_invocation_id id;
    char url[400];
};
static pthread_mutex_t calls_lock = PTHREAD_MUTEX_INITIALIZER;
static struct call calls[MAX_CALLS];

/* One request's answer, handed from the host's thread to the cleanup thread. */
struct answer {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    bool done;
    harmonia_type_transport_error kind;
    int status;
    char message[400];
};

static void log_text(harmonia_type_invocation_id id, const char *text) {
    host->log(host_plugin, HARMONIA_LOG_INFO, id, harmonia_bytes_from_cstring(text));
}

static void on_response(void *user_data, const harmonia_type_http_response *response) {
    struct answer *answer = user_data;
    pthread_mutex_lock(&answer->lock);
    answer->kind = response->transport_error;
    answer->status = response->status;
    snprintf(answer->message, sizeof answer->message, "%.*s", (int)response->error_message.len,
             response->error_message.ptr ? response->error_message.ptr : "");
    answer->done = true;
    pthread_cond_signal(&answer->ready);
    pthread_mutex_unlock(&answer->lock);
}

static void *clean_up(void *arg) {
    struct call *call = arg;
    char line[600];
    /* At most 20 s of requests, so a broken host cannot keep the thread forever. */
    for (int n = 1; n <= 400; n++) {
        struct answer answer;
        memset(&answer, 0, sizeof answer);
        pthread_mutex_init(&answer.lock, NULL);
        pthread_cond_init(&answer.ready, NULL);
        harmonia_type_http_request request;
        memset(&request, 0, sizeof request);
        request.struct_size = sizeof request;
        request.method = harmonia_bytes_from_cstring("GET");
        request.url = harmonia_bytes_from_cstring(call->url);
        request.timeout_ms = 30000; /* the window's end cuts it sooner; no reason to cut it before */
        request.invocation_id = call->id;
        host->http_request(host_plugin, &request, on_response, &answer);
        pthread_mutex_lock(&answer.lock);
        while (!answer.done) pthread_cond_wait(&answer.ready, &answer.lock);
        pthread_mutex_unlock(&answer.lock);
        pthread_cond_destroy(&answer.ready);
        pthread_mutex_destroy(&answer.lock);
        if (answer.kind == HARMONIA_HTTP_OK) {
            snprintf(line, sizeof line, "linger request %d: served, HTTP %d", n, answer.status);
            log_text(call->id, line);
        } else if (answer.kind == HARMONIA_HTTP_TIMEOUT) {
            /* A request still under way when the window closes is cut off; the next one is
               refused. On a loaded machine either can come first, so carry on after a cut. */
            snprintf(line, sizeof line, "linger request %d: cut (%d): %s", n, (int)answer.kind, answer.message);
            log_text(call->id, line);
        } else {
            snprintf(line, sizeof line, "linger request %d: refused (%d): %s", n, (int)answer.kind, answer.message);
            log_text(call->id, line);
            break;
        }
        usleep(50 * 1000);
    }
    harmonia_type_outcome outcome;
    memset(&outcome, 0, sizeof outcome);
    outcome.struct_size = sizeof outcome;
    outcome.status = HARMONIA_STATUS_CANCELED;
    outcome.error_code = harmonia_bytes_from_cstring("canceled");
    outcome.error_message = harmonia_bytes_from_cstring("linger canceled after its cleanup");
    host->complete(call->id, &outcome);
    log_text(call->id, "linger: done");
    free(call);
    return NULL;
}

static bool on_init(const harmonia_type_host_table *table, harmonia_type_host_plugin *plugin,
                    harmonia_type_error_sink *errors) {
    (void)errors;
    host = table;
    host_plugin = plugin;
    return true;
}

static void on_shutdown(void) {}

static harmonia_type_instance *on_instance_new(harmonia_type_borrowed_bytes component,
                                               harmonia_type_borrowed_bytes config_json,
                                               harmonia_type_error_sink *errors) {
    (void)component; (void)config_json; (void)errors;
    static int instance;
    return (harmonia_type_instance *)&instance;
}

static void on_instance_destroy(harmonia_type_instance *instance) { (void)instance; }

/* Finds "url": "..." in the input (no escapes, as in the example adapter). */
static void find_url(harmonia_type_borrowed_bytes json, char *out, size_t out_size) {
    const char *pattern = "\"url\"";
    size_t plen = strlen(pattern);
    out[0] = '\0';
    for (size_t i = 0; i + plen <= json.len; i++) {
        if (memcmp(json.ptr + i, pattern, plen) != 0) continue;
        size_t j = i + plen;
        while (j < json.len && json.ptr[j] != '"') j++;
        size_t n = 0;
        for (j++; j < json.len && json.ptr[j] != '"' && n + 1 < out_size; j++) out[n++] = json.ptr[j];
        out[n] = '\0';
        return;
    }
}

static void on_invoke(harmonia_type_instance *instance, harmonia_type_invocation_id id,
                      harmonia_type_borrowed_bytes action, harmonia_type_borrowed_bytes input_json,
                      harmonia_type_borrowed_bytes context_json) {
    (void)instance; (void)action; (void)context_json;
    pthread_mutex_lock(&calls_lock);
    for (int i = 0; i < MAX_CALLS; i++) {
        if (calls[i].id == 0) {
            calls[i].id = id;
            find_url(input_json, calls[i].url, sizeof calls[i].url);
            break;
        }
    }
    pthread_mutex_unlock(&calls_lock);
    log_text(id, "linger: waiting for a cancel");
}

static void on_cancel(harmonia_type_instance *instance, harmonia_type_invocation_id id) {
    (void)instance;
    struct call *found = NULL;
    pthread_mutex_lock(&calls_lock);
    for (int i = 0; i < MAX_CALLS; i++) {
        if (calls[i].id == id) {
            found = malloc(sizeof *found);
            if (found != NULL) *found = calls[i];
            calls[i].id = 0;
            break;
        }
    }
    pthread_mutex_unlock(&calls_lock);
    if (found == NULL) return;
    pthread_t thread;
    if (pthread_create(&thread, NULL, clean_up, found) != 0) {
        free(found);
        return;
    }
    pthread_detach(thread);
}

static const harmonia_type_plugin_descriptor descriptor = {
    .struct_size = sizeof(harmonia_type_plugin_descriptor),
    .abi_major = HARMONIA_ABI_VERSION_MAJOR,
    .abi_minor = HARMONIA_ABI_VERSION_MINOR,
    .name = "linger",
    .version = "1.0.0",
    .build_signature = HARMONIA_SIGNATURE_C,
    .manifest_json = "{\"components\": [{\"name\": \"linger\", \"actions\": [{\"name\": \"linger\"}]}]}",
    .on_init = on_init,
    .on_shutdown = on_shutdown,
    .on_instance_new = on_instance_new,
    .on_instance_destroy = on_instance_destroy,
    .on_invoke = on_invoke,
    .on_cancel = on_cancel,
};

HARMONIA_PLUGIN_EXPORT const harmonia_type_plugin_descriptor *harmonia_plugin_describe(void) { return &descriptor; }
