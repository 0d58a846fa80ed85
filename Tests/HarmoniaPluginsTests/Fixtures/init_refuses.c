/* Its init hook refuses to start, with a reason through set_error. */
#include "fixture_common.h"

static bool refusing_init(const harmonia_type_host_table *h, harmonia_type_host_plugin *p,
                          harmonia_type_error_sink *e) {
    (void)p;
    h->set_error(e, harmonia_bytes_from_cstring("license file missing"));
    return false;
}

static const harmonia_type_plugin_descriptor descriptor = {
    .struct_size = sizeof(harmonia_type_plugin_descriptor), .abi_major = HARMONIA_ABI_VERSION_MAJOR,
    .abi_minor = HARMONIA_ABI_VERSION_MINOR, .name = "init-refuses", .version = "1.0.0",
    .build_signature = HARMONIA_SIGNATURE_C, .manifest_json = FX_MANIFEST, FX_HOOKS, .on_init = refusing_init};

HARMONIA_PLUGIN_EXPORT const harmonia_type_plugin_descriptor *harmonia_plugin_describe(void) { return &descriptor; }
