/* Exports no harmonia_plugin_describe: not a Harmonia plugin. */
#include "harmonia_plugin.h"

HARMONIA_PLUGIN_EXPORT int harmonia_plugin_describe_typo(void) { return 0; }
