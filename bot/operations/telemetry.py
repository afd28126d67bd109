"""Traces and metrics to Application Insights through OpenTelemetry, when
APPLICATIONINSIGHTS_CONNECTION_STRING is set; without it nothing is exported.

Logs are not exported this way: an exported log record carries its exception's text, which can
quote what a person typed. Logs go to standard error (JSON lines with LOG_FORMAT=json), which App
Service and container platforms collect themselves.
"""

import logging
import os
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from opentelemetry.context import Context
from opentelemetry.sdk.trace import Span, SpanProcessor

log = logging.getLogger(__name__)

# Where the HTTP instrumentations put the address a call went to (older and newer conventions).
URL_ATTRIBUTES = ("url.full", "http.url")


def without_query(url: str) -> str:
    """A query string can carry a secret (an Outlook upload session's URL holds its token) or what
    was searched for; the address without it still says which service was called."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class QueryStringRemover(SpanProcessor):
    """Each outgoing call's span records its URL without the query string (see without_query).
    Done as the span starts, when the HTTP instrumentations have set the URL and the span can
    still be changed."""

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        for name in URL_ATTRIBUTES:
            url = (span.attributes or {}).get(name)
            if isinstance(url, str):
                span.set_attribute(name, without_query(url))


def configure_telemetry(env: Mapping[str, str]) -> bool:
    """True when an exporter was set up. Call once, before the app is built."""
    connection_string = env.get("APPLICATIONINSIGHTS_CONNECTION_STRING", "").strip()
    if not connection_string:
        return False
    # Nothing goes anywhere but the resource named: the SDK's own usage reports ("statsbeat") go
    # to Microsoft's endpoints, and its "control plane" polls one for settings that can change
    # sampling at run time. An operator may opt in by setting either variable to false.
    os.environ.setdefault("APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL", "true")
    os.environ.setdefault("APPLICATIONINSIGHTS_CONTROLPLANE_DISABLED", "true")
    # The VM detector probes the instance metadata address at start-up; the app runs on App Service.
    os.environ.setdefault("OTEL_EXPERIMENTAL_RESOURCE_DETECTORS", "azure_app_service")
    os.environ.setdefault("OTEL_SERVICE_NAME", "scr-assistant")
    # The distro's default samples at most 5 traces a second, adaptively, and can drop the first
    # ones; a bot with a few turns a minute keeps them all.
    os.environ.setdefault("OTEL_TRACES_SAMPLER", "microsoft.fixed_percentage")
    os.environ.setdefault("OTEL_TRACES_SAMPLER_ARG", "1.0")
    from azure.monitor.opentelemetry import configure_azure_monitor  # slow import: only when used

    # Live metrics stream to a Microsoft endpoint of their own, outside the resource named here.
    configure_azure_monitor(connection_string=connection_string, disable_logging=True, enable_live_metrics=False,
                            span_processors=[QueryStringRemover()])
    log.info("Telemetry: traces and metrics go to Application Insights.")
    return True
