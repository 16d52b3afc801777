from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city's builders and the `jiayuan demo` command; above every domain app, imported by none."""

    name = "jiayuan.demo"
    label = "demo"
