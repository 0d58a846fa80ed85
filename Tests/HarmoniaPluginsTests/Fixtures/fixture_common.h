/* Shared pieces of the negative-test fixtures: hooks that do nothing. */
#include <stddef.h>
#include "harmonia_plugin.h"

static bool fx_init(const harmonia_type_host_table *h, harmonia_type_host_plugin *p, harmonia_type_error_sink *e) {
    (void)h; (void)p; (void)e;
    return true;
}
static void fx_shutdown(void) {}
static harmonia_type_instance *fx_new(harmonia_type_borrowed_bytes c, harmonia_type_borrowed_bytes j,
                                      harmonia_type_error_sink *e) {
    (void)c; (void)j; (void)e;
    static int instance;
    return (harmonia_type_instance *)&instance;
}
static void fx_destroy(harmonia_type_instance *i) { (void)i; }
static void fx_invoke(harmonia_type_instance *i, harmonia_type_invocation_id id, harmonia_type_borrowed_bytes a,
                      harmonia_type_borrowed_bytes in, harmonia_type_borrowed_bytes ctx) {
    (void)i; (void)id; (void)a; (void)in; (void)ctx;
}
static void fx_cancel(harmonia_type_instance *i, harmonia_type_invocation_id id) { (void)i; (void)id; }

#define FX_MANIFEST "{\"components\": [{\"name\": \"fixture\", \"actions\": [{\"name\": \"noop\"}]}]}"
#define FX_HOOKS \
    .on_init = fx_init, .on_shutdown = fx_shutdown, .on_instance_new = fx_new, .on_instance_destroy = fx_destroy, \
    .on_invoke = fx_invoke, .on_cancel = fx_cancel
