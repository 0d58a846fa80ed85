/* Claims to be a Swift plugin from another toolchain: the loader must refuse it. */
#include "fixture_common.h"

static const harmonia_type_plugin_descriptor descriptor = {
    .struct_size = sizeof(harmonia_type_plugin_descriptor), .abi_major = HARMONIA_ABI_VERSION_MAJOR,
    .abi_minor = HARMONIA_ABI_VERSION_MINOR, .name = "bad-signature", .version = "1.0.0",
    .build_signature = HARMONIA_SIGNATURE_SWIFT_PREFIX "5.9.2", .manifest_json = FX_MANIFEST, FX_HOOKS};

HARMONIA_PLUGIN_EXPORT const harmonia_type_plugin_descriptor *harmonia_plugin_describe(void) { return &descriptor; }
