"""NetBox DNS: a plugin to manage DNS data in NetBox."""

from importlib.metadata import metadata

from django.conf import settings
from netbox.plugins import PluginConfig
from netbox.plugins.utils import get_plugin_config

__version__ = metadata("netbox-plugin-dns").get("Version")


class DNSConfig(PluginConfig):
    name = "netbox_dns"
    verbose_name = "NetBox DNS"
    description = "NetBox plugin for DNS data"
    min_version = "4.2.0"
    max_version = "4.2.99"
    version = __version__
    author = "Peter Eckel"
    author_email = "pete@netbox-dns.org"
    required_settings = []
    default_settings = {
        "zone_default_ttl": 86400,
        "zone_soa_serial_auto": True,
        "zone_soa_minimum": 3600,  # one hour
        "zone_active_status": ["active", "dynamic"],
        "feature_ipam_coupling": False,
        "tolerate_underscores_in_labels": False,
        "autodns_disabled": False,
        'dnssync_minimum_zone_labels': 2,
        "enforce_unique_records": True,
        "menu_name": "DNS",
        "top_level_menu": True,
        "zone_soa_mname": None,
    }
    base_url = "netbox-dns"

    def ready(self):
        super().ready()
        config = get_plugin_config("netbox_dns", "zone_default_ttl")


#
# Initialize plugin config
#
config = DNSConfig
