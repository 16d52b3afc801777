from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks and the `jiayuan bench` command; above every domain app, imported by none."""

    name = "jiayuan.bench"
    label = "bench"
