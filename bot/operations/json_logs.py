"""Log lines as JSON objects (LOG_FORMAT=json), one per line, for App Service and container log
collectors that index fields.

A line carries the time, level, logger, the message and, where a log call passes them as `extra`,
the fields in `FIELDS` (the incident reference a person quotes to the service desk). An exception
is written as its type and stack frames only: its own text can quote what a person typed, and the
app's messages are written never to hold a name, an email body or a token.
"""

import json
import logging
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime

from bot.config import SettingsError

FIELDS = ("incident",)


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
            line["stack"] = "".join(traceback.format_tb(record.exc_info[2])).rstrip()
        return json.dumps(line, ensure_ascii=False)


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(env: Mapping[str, str]) -> None:
    """Plain lines unless LOG_FORMAT=json; either way to standard error, where App Service and
    container runtimes collect them."""
    log_format = env.get("LOG_FORMAT", "plain").strip().lower()
    if log_format not in ("plain", "json"):
        raise SettingsError(f"LOG_FORMAT must be plain or json, not {log_format!r}")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLinesFormatter() if log_format == "json" else logging.Formatter(PLAIN_FORMAT))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    # Request URLs name the sender mailbox; keep them out of the INFO log.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # The exporter logs each upload at INFO; only its problems matter.
    logging.getLogger("azure").setLevel(logging.WARNING)
