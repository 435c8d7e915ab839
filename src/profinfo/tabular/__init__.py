"""Tables in and out: XLSX, CSV and JSON, hostile input kept at bay (see reading.py)."""

from .cells import (
    FORMULA_START,
    clean_text,
    parse_bool,
    parse_date,
    parse_int,
    parse_int_or_none,
)
from .reading import ReadLimits, Sheet, TableError, read_tables
from .writing import FormSheet, Table, write_csv, write_form, write_json, write_xlsx

__all__ = [
    "FORMULA_START", "FormSheet", "ReadLimits", "Sheet", "Table", "TableError", "clean_text",
    "parse_bool", "parse_date", "parse_int", "parse_int_or_none", "read_tables", "write_csv",
    "write_form", "write_json", "write_xlsx",
]
