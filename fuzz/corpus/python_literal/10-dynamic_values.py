import importlib.metadata

from netbox.plugins import PluginConfig

REQUIRED = ["a"]


class DynamicConfig(PluginConfig):
    name = "netbox_dynamic"
    version = importlib.metadata.version("netbox-dynamic")
    min_version = f"{4}.1.0"
    max_version = None
    required_settings = REQUIRED
    default_settings = dict(a=1)


config = DynamicConfig
