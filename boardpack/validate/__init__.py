"""Check every cell of the raw tables against the contract in schema.py.

Validation never stops at the first mistake: it turns raw tables into clean
frames and collects a Problem for every bad cell, so staff can fix them all in
one go. Values are parsed once per distinct spelling, which keeps large sheets
fast (a column of 100,000 rows holds only a few distinct periods or statuses).

``tables`` checks all tables together (duplicates, the as-at period), ``sheet``
one table cell by cell, ``values`` each kind of value, ``unread`` the cells not
read, ``duplicates`` the same row twice.
"""

from ..formats import strip_controls
from .tables import validate_tables
from .values import parse_period

__all__ = ["parse_period", "strip_controls", "validate_tables"]
