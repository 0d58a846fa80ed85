/*
 * harmonia_plugin.h — the Harmonia adapter plugin ABI, version 1.0.
 *
 * This header is the single source of truth for the contract between the Harmonia
 * server (the "host") and an adapter shared library (the "plugin"). docs/plugin-abi.md
 * is its normative prose. Standard C only: an adapter written in C, Swift, Rust or
 * anything that exports C symbols is built against this file alone.
 *
 * Naming tells direction:
 *   harmonia_type_*      data types shared by both sides
 *   harmonia_on_*        hooks the PLUGIN implements and the host calls
 *   harmonia_callback_*  callbacks the HOST implements and the plugin calls
 *   HARMONIA_*           constants
 * The plugin exports exactly one symbol: harmonia_plugin_describe.
 *
 * Versioning: a plugin built for another ABI major is refused. Within a major, tables
 * only grow at the end; each starts with its struct_size. A plugin checks
 * host->struct_size before calling a callback added in a later minor; the host checks
 * the descriptor's struct_size before using a hook added in a later minor.
 * Descriptor hook fields are named on_<hook>; host table fields after the callback.
 *
 * Ownership, in general (each type repeats what applies to it):
 *   - harmonia_type_borrowed_bytes is BORROWED: valid only for the duration of the call
 *     it is passed to (or, for a response, of the callback it is passed to). The receiver
 *     copies what it keeps. It is never NUL-terminated unless stated.
 *   - Memory is always freed by the side that allocated it. No function in this ABI
 *     frees memory allocated by the other side.
 *   - The descriptor and everything it points to are STATIC, owned by the plugin, and
 *     stay valid as long as the library is loaded.
 */
#ifndef HARMONIA_PLUGIN_H
#define HARMONIA_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- constants */

#define HARMONIA_ABI_VERSION_MAJOR 1
#define HARMONIA_ABI_VERSION_MINOR 0

/* The one exported symbol; see harmonia_type_describe_fn. */
#define HARMONIA_PLUGIN_DESCRIBE_SYMBOL "harmonia_plugin_describe"

/*
 * Build signatures (harmonia_type_plugin_descriptor.build_signature):
 *   "harmonia-abi-1;c"             a plugin that uses no language runtime the host shares
 *                                  (C, C++ without exceptions crossing, Rust, Zig...)
 *   "harmonia-abi-1;swift-X.Y.Z"   a Swift plugin: it shares the host's Swift runtime, so
 *                                  the host accepts it only when X.Y.Z is the toolchain
 *                                  the host itself was built with.
 * Anything else is an unknown signature and the plugin is refused.
 */
#define HARMONIA_SIGNATURE_C "harmonia-abi-1;c"
#define HARMONIA_SIGNATURE_SWIFT_PREFIX "harmonia-abi-1;swift-"

/*
 * Marks the exported symbol visible even when the plugin is built with
 * -fvisibility=hidden: HARMONIA_PLUGIN_EXPORT const harmonia_type_plugin_descriptor *
 * harmonia_plugin_describe(void) { ... }
 */
#if defined(__GNUC__) || defined(__clang__)
#define HARMONIA_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define HARMONIA_PLUGIN_EXPORT
#endif

/* Log levels (harmonia_type_log_level). */
#define HARMONIA_LOG_TRACE 0
#define HARMONIA_LOG_DEBUG 1
#define HARMONIA_LOG_INFO 2
#define HARMONIA_LOG_WARNING 3
#define HARMONIA_LOG_ERROR 4

/* Invocation outcome statuses (harmonia_type_outcome.status). */
#define HARMONIA_STATUS_SUCCEEDED 0
#define HARMONIA_STATUS_FAILED 1
#define HARMONIA_STATUS_CANCELED 2

/* HTTP transport errors (harmonia_type_http_response.transport_error). */
#define HARMONIA_HTTP_OK 0            /* a response arrived; see status */
#define HARMONIA_HTTP_CONNECT_FAILED 1 /* refused, reset, DNS failure, TLS failure */
#define HARMONIA_HTTP_TIMEOUT 2        /* no complete response (head and body) in time */
#define HARMONIA_HTTP_CANCELED 3       /* invocation canceled or over, or the host stops */
#define HARMONIA_HTTP_INVALID_REQUEST 4 /* bad URL, method or headers JSON */
#define HARMONIA_HTTP_OTHER 5

/* -------------------------------------------------------------------- types */

/* A log level, one of HARMONIA_LOG_*. */
typedef int32_t harmonia_type_log_level;
/* An outcome status, one of HARMONIA_STATUS_*. */
typedef int32_t harmonia_type_status;
/* A transport error kind, one of HARMONIA_HTTP_*. */
typedef int32_t harmonia_type_transport_error;

/*
 * Identifies one invocation. Allocated by the host, never 0 (0 means "no invocation" where
 * an id is optional), unique among the calls in flight and the recently finished ones.
 * It is a host-issued token: random-looking and unguessable, known only to the plugin it was
 * issued to, which is how complete and progress (which carry no plugin handle) identify
 * their plugin. Do not assume ids are small, sequential or ordered.
 */
typedef uint64_t harmonia_type_invocation_id;

/*
 * A byte range {ptr, len}: UTF-8 text or JSON, not NUL-terminated.
 * OWNERSHIP: BORROWED from the caller for the duration of the call (or callback) that
 * receives it; copy what you keep. ptr may be NULL when len is 0.
 */
typedef struct harmonia_type_borrowed_bytes {
    const char *ptr;
    size_t len;
} harmonia_type_borrowed_bytes;

/*
 * Opaque handle the host gives a plugin in init, naming that loaded plugin in log and
 * http_request calls. OWNERSHIP: host-owned; valid from init until the process exits.
 */
typedef struct harmonia_type_host_plugin harmonia_type_host_plugin;

/*
 * Opaque handle through which a hook reports why it rejected something (set_error).
 * OWNERSHIP: host-owned; valid only during the hook call that received it.
 */
typedef struct harmonia_type_error_sink harmonia_type_error_sink;

/*
 * Opaque plugin state for one configured component instance.
 * OWNERSHIP: created by the plugin in instance_new, freed by the plugin in
 * instance_destroy; the host only passes it back.
 */
typedef struct harmonia_type_instance harmonia_type_instance;

/*
 * The outcome of one invocation, passed to the host's complete callback.
 * OWNERSHIP: the struct and every buffer in it are BORROWED for the complete call; the
 * host copies them before complete returns, so the plugin may free them afterwards.
 *   status        HARMONIA_STATUS_*
 *   output_json   SUCCEEDED: the output, a JSON object, e.g. {"result": ...}.
 *                 FAILED: optional details, a JSON object (len 0 for none).
 *   error_code    FAILED/CANCELED: a stable snake_case code (e.g. "route_unavailable").
 *   error_message FAILED/CANCELED: text for people; no secrets.
 *   retryable     FAILED: whether trying again might succeed.
 */
typedef struct harmonia_type_outcome {
    size_t struct_size;
    harmonia_type_status status;
    harmonia_type_borrowed_bytes output_json;
    harmonia_type_borrowed_bytes error_code;
    harmonia_type_borrowed_bytes error_message;
    bool retryable;
} harmonia_type_outcome;

/*
 * An HTTP request the plugin asks the host to make with the host's own client.
 * OWNERSHIP: the struct and its buffers are BORROWED for the http_request call; the host
 * copies them before it returns.
 *   method        "GET", "POST", ...
 *   url           absolute http:// or https:// URL
 *   headers_json  a JSON object {"Name": "value", ...}; len 0 for none
 *   body          request body bytes; len 0 for none
 *   timeout_ms    deadline of the whole exchange (connect, head and the complete body);
 *                 0 means the host's default. The host also ends the request at the
 *                 invocation's deadline, whichever comes first (HARMONIA_HTTP_TIMEOUT)
 *   invocation_id the invocation this request serves, or 0; when that invocation is
 *                 canceled the host fails its running requests with HARMONIA_HTTP_CANCELED;
 *                 requests made after the cancel are served only during the cleanup
 *                 window (see harmonia_on_cancel), those of an invocation that completed
 *                 or whose window is over are refused with HARMONIA_HTTP_CANCELED
 */
typedef struct harmonia_type_http_request {
    size_t struct_size;
    harmonia_type_borrowed_bytes method;
    harmonia_type_borrowed_bytes url;
    harmonia_type_borrowed_bytes headers_json;
    harmonia_type_borrowed_bytes body;
    uint32_t timeout_ms;
    harmonia_type_invocation_id invocation_id;
} harmonia_type_http_request;

/*
 * The answer to an http_request, passed to the plugin's harmonia_on_http_response.
 * OWNERSHIP: the struct and its buffers are BORROWED (host-owned) for the duration of
 * the harmonia_on_http_response call; copy what you keep.
 *   transport_error HARMONIA_HTTP_OK when a response arrived (any status, 4xx/5xx too)
 *   status          the HTTP status, or 0 when transport_error != HARMONIA_HTTP_OK
 *   headers_json    a JSON object {"name": "value", ...} (names lower-cased; repeated
 *                   headers joined with ", ")
 *   body            the response body
 *   error_message   when transport_error != HARMONIA_HTTP_OK: what went wrong
 */
typedef struct harmonia_type_http_response {
    size_t struct_size;
    harmonia_type_transport_error transport_error;
    int32_t status;
    harmonia_type_borrowed_bytes headers_json;
    harmonia_type_borrowed_bytes body;
    harmonia_type_borrowed_bytes error_message;
} harmonia_type_http_response;

/* ----------------------------------------------------------- host callbacks */

/*
 * Writes one log line attributed to the plugin (and to an invocation when
 * invocation_id != 0). THREADING: any thread, any time after init. message BORROWED.
 */
typedef void (*harmonia_callback_log)(harmonia_type_host_plugin *plugin, harmonia_type_log_level level,
                                      harmonia_type_invocation_id invocation_id,
                                      harmonia_type_borrowed_bytes message);

/*
 * Records why a hook rejected its input (init, instance_new). The host copies the text;
 * the last call wins. THREADING: only from inside the hook that received the sink.
 */
typedef void (*harmonia_callback_set_error)(harmonia_type_error_sink *sink, harmonia_type_borrowed_bytes reason);

/*
 * Reports the outcome of an invocation. Call it EXACTLY ONCE per invocation, from any
 * thread, possibly before invoke has returned — also after a cancel or the deadline. The
 * host ignores a second completion (logged as a warning) and a completion for an id it
 * no longer waits for (after it gave up on a canceled or timed-out call; logged at debug
 * level: that completion is what the ABI asks for). outcome BORROWED.
 */
typedef void (*harmonia_callback_complete)(harmonia_type_invocation_id invocation_id,
                                           const harmonia_type_outcome *outcome);

/*
 * Reports progress text for a running invocation; it becomes an execution event.
 * Optional. THREADING: any thread, between invoke and complete. message BORROWED.
 */
typedef void (*harmonia_callback_progress)(harmonia_type_invocation_id invocation_id,
                                           harmonia_type_borrowed_bytes message);

/*
 * The plugin's answer hook for http_request. Called EXACTLY ONCE per request, on a host
 * thread, possibly before http_request returns. user_data is the plugin's own pointer,
 * passed back untouched. response BORROWED for the call.
 */
typedef void (*harmonia_on_http_response)(void *user_data, const harmonia_type_http_response *response);

/*
 * Starts an HTTP request with the host's client (pooling, TLS, timeouts, tracing in one
 * place) and returns at once; on_response receives the result exactly once.
 * THREADING: any thread after init. request BORROWED.
 */
typedef void (*harmonia_callback_http_request)(harmonia_type_host_plugin *plugin,
                                               const harmonia_type_http_request *request,
                                               harmonia_on_http_response on_response, void *user_data);

/*
 * What the host lends a plugin. OWNERSHIP: host-owned and STATIC: valid from init until
 * the process exits; the plugin may keep the pointer. APPEND-ONLY: check struct_size
 * (>= offsetof(field) + sizeof(field)) before calling a callback added after ABI 1.0.
 */
typedef struct harmonia_type_host_table {
    size_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    harmonia_callback_log log;
    harmonia_callback_set_error set_error;
    harmonia_callback_complete complete;
    harmonia_callback_progress progress;
    harmonia_callback_http_request http_request;
} harmonia_type_host_table;

/* ------------------------------------------------------------- plugin hooks */

/*
 * Called once, by the loader, before any other hook. Return false to refuse loading
 * (say why with host->set_error(errors, ...)). host and plugin stay valid for the life
 * of the process. THREADING: loader thread only; never concurrently with another hook.
 */
typedef bool (*harmonia_on_init)(const harmonia_type_host_table *host, harmonia_type_host_plugin *plugin,
                                 harmonia_type_error_sink *errors);

/*
 * Called at most once, after every instance was destroyed, when the host stops using the
 * plugin: its file was removed or replaced and its last call ended, or the host released
 * its plugin manager. Not called at process exit (nothing is). Swift plugins are never
 * unloaded; C plugins may be after this. THREADING: any host thread, never concurrently
 * with another hook of this plugin.
 */
typedef void (*harmonia_on_shutdown)(void);

/*
 * Creates the instance serving `component` (one of the manifest's) with its
 * configuration, a JSON object:
 *   {"component": "ergon", "endpoint": "http://localhost:8002", "timeout": 30.0,
 *    "options": {...}}
 * ("endpoint" and "timeout" (seconds) may be absent; "options" is always an object.)
 * Returns the plugin's instance, or NULL to reject (say why with set_error).
 * OWNERSHIP: component and config_json BORROWED; the returned instance is plugin-owned
 * until instance_destroy. THREADING: loader thread only; never concurrently with another
 * lifecycle hook; may run while invocations on other instances are in flight.
 */
typedef harmonia_type_instance *(*harmonia_on_instance_new)(harmonia_type_borrowed_bytes component,
                                                            harmonia_type_borrowed_bytes config_json,
                                                            harmonia_type_error_sink *errors);

/*
 * Frees an instance. Called once per instance, after the host stopped waiting for every
 * invocation it started on it (each completed, or was canceled and abandoned). Work still
 * running for an abandoned invocation must be stopped or detached; completing it later is
 * harmless (ignored). THREADING: any host thread, never concurrently with invoke or cancel
 * on the same instance.
 */
typedef void (*harmonia_on_instance_destroy)(harmonia_type_instance *instance);

/*
 * Starts one action and RETURNS AT ONCE (never blocks on I/O: it runs on one of the
 * host's few scheduler threads). The plugin later calls host->complete(invocation_id,
 * ...) exactly once — also for an unknown action or bad input (status FAILED).
 *   action        the action name (UTF-8)
 *   input_json    the task input, a JSON object
 *   context_json  {"execution_id": "...", "task_id": "...", "attempt": 1,
 *                  "idempotency_key": "<execution_id>:<task_id>",
 *                  "deadline_ms": 1767225600000}   (unix ms; absent when none)
 * OWNERSHIP: all buffers BORROWED for the call. THREADING: any host thread; concurrently
 * with other invoke and cancel calls, on the same or different instances.
 */
typedef void (*harmonia_on_invoke)(harmonia_type_instance *instance, harmonia_type_invocation_id invocation_id,
                                   harmonia_type_borrowed_bytes action, harmonia_type_borrowed_bytes input_json,
                                   harmonia_type_borrowed_bytes context_json);

/*
 * Asks the plugin to stop an invocation (task timeout or workflow cancel). Best effort:
 * the plugin should complete it soon, preferably with HARMONIA_STATUS_CANCELED; the host
 * gives up after a short grace and ignores a later completion. From the cancel on, the
 * invocation has a cleanup window (the same grace, 2 s by default) during which new
 * http_request calls for it are still served (each cut at the window's end), e.g. to
 * delete a remote sandbox; afterwards they are refused. May arrive after the
 * plugin completed the invocation, or for an id it never saw: ignore those.
 * THREADING: any host thread; concurrently with invoke, cancel and complete.
 */
typedef void (*harmonia_on_cancel)(harmonia_type_instance *instance, harmonia_type_invocation_id invocation_id);

/*
 * The static self-description returned by harmonia_plugin_describe.
 * OWNERSHIP: plugin-owned and STATIC, like every string it points to (NUL-terminated
 * UTF-8). APPEND-ONLY: the host reads a hook added after ABI 1.0 only when struct_size
 * covers it. Every hook of ABI 1.0 is required (non-NULL).
 *   abi_major/minor  HARMONIA_ABI_VERSION_MAJOR/MINOR the plugin was built with
 *   name, version    the plugin's own name and version ("example", "1.0.0")
 *   build_signature  HARMONIA_SIGNATURE_C, or HARMONIA_SIGNATURE_SWIFT_PREFIX + toolchain
 *   manifest_json    {"components": [{"name": "example", "description": "...",
 *                      "actions": [{"name": "upper", "description": "...",
 *                                   "input_schema": {JSON Schema}}]}]}
 */
typedef struct harmonia_type_plugin_descriptor {
    size_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    const char *name;
    const char *version;
    const char *build_signature;
    const char *manifest_json;
    harmonia_on_init on_init;
    harmonia_on_shutdown on_shutdown;
    harmonia_on_instance_new on_instance_new;
    harmonia_on_instance_destroy on_instance_destroy;
    harmonia_on_invoke on_invoke;
    harmonia_on_cancel on_cancel;
} harmonia_type_plugin_descriptor;

/*
 * The one symbol a plugin exports, named HARMONIA_PLUGIN_DESCRIBE_SYMBOL:
 *     const harmonia_type_plugin_descriptor *harmonia_plugin_describe(void);
 * It returns the static descriptor (never NULL for a usable plugin), allocates nothing,
 * has no side effects and may be called more than once — the loader calls it right after
 * dlopen, before init, to check the version and signature. THREADING: loader thread.
 */
typedef const harmonia_type_plugin_descriptor *(*harmonia_type_describe_fn)(void);

/* ------------------------------------------------------------------ helpers */

/* Borrows a NUL-terminated string as bytes (convenience for C plugins). */
static inline harmonia_type_borrowed_bytes harmonia_bytes_from_cstring(const char *text) {
    harmonia_type_borrowed_bytes bytes;
    size_t len = 0;
    if (text != NULL) {
        while (text[len] != '\0') len++;
    }
    bytes.ptr = text;
    bytes.len = len;
    return bytes;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HARMONIA_PLUGIN_H */
