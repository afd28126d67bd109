"""A review's full record as a file its members can take away before retention removes it.

It is the stored review itself (its facts, history, duties and emails, in the serialised form the
store keeps, so nothing is left out or reworded), wrapped with who exported it and when.
"""

import json
import re
from datetime import datetime

from .model import Review
from .serialisation import review_to_dict
from .working_days import uk_date

FORMAT = "SCR Assistant review export"
FORMAT_VERSION = 1


def export_file_name(review: Review, at: datetime) -> str:
    """"LSCB-2026-014-history-2026-11-25.json": the reference, made safe for any file system."""
    reference = re.sub(r"[^A-Za-z0-9._-]+", "-", review.reference).strip("-.") or "review"
    return f"{reference}-history-{uk_date(at).isoformat()}.json"


def export_content(review: Review, at: datetime, by: str) -> bytes:
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "exported_at": at.isoformat(),
                "exported_by": by, "review": review_to_dict(review)}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
