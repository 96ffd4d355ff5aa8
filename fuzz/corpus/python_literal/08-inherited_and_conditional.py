from netbox.settings import VERSION

if VERSION.startswith("3."):
    from extras.plugins import PluginConfig
else:
    from netbox.plugins import PluginConfig


class BaseConfig(PluginConfig):
    min_version = "3.7.0"
    max_version = "4.2.99"
    required_settings = ["token"]


class ChildConfig(BaseConfig):
    name = "netbox_child"
    version = "2.0.0"
    max_version: str = "4.3.99"


def make_config():
    config = BaseConfig
    return config


config = ChildConfig
