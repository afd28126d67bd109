"""What a case's answers to the criteria point to, under any framework: the source guidance's
(3.1.1, ``eligibility.py``) or a framework pack's own (``pack_schema.Criteria``)."""

from enum import Enum


class Eligibility(Enum):
    MUST_HOLD = "must_hold"
    SHOULD_CONSIDER = "should_consider"
    NOT_MET = "not_met"
