"""Find the input files, read their sheets and find each table's header row.

This stage only reads: it turns files into RawTables (text and numbers as typed,
with the Excel row number of every row) and reports files it could not read.
Checking the values is validation's job.

``files`` decides which files are read and hands each to its reader: ``xlsx``
(python-calamine, once ``xlsx_guard`` has checked the zip and its XML) or
``csv``; both find the table with ``header``.
"""

from ..formats import printable
from .files import load_inputs

__all__ = ["load_inputs", "printable"]
