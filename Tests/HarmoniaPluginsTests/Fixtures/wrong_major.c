/* Built for a future ABI major: the loader must refuse it. */
#include "fixture_common.h"

static const harmonia_type_plugin_descriptor descriptor = {
    .struct_size = sizeof(harmonia_type_plugin_descriptor), .abi_major = 2, .abi_minor = 0,
    .name = "wrong-major", .version = "1.0.0", .build_signature = "harmonia-abi-2;c", .manifest_json = FX_MANIFEST,
    FX_HOOKS};

HARMONIA_PLUGIN_EXPORT const harmonia_type_plugin_descriptor *harmonia_plugin_describe(void) { return &descriptor; }
