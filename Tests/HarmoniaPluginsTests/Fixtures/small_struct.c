/* A descriptor whose struct_size is smaller than ABI 1.0's: the loader must refuse it. */
#include "fixture_common.h"

static const harmonia_type_plugin_descriptor descriptor = {
    .struct_size = offsetof(harmonia_type_plugin_descriptor, on_invoke), .abi_major = HARMONIA_ABI_VERSION_MAJOR,
    .abi_minor = HARMONIA_ABI_VERSION_MINOR, .name = "small-struct", .version = "1.0.0",
    .build_signature = HARMONIA_SIGNATURE_C, .manifest_json = FX_MANIFEST, FX_HOOKS};

HARMONIA_PLUGIN_EXPORT const harmonia_type_plugin_descriptor *harmonia_plugin_describe(void) { return &descriptor; }
