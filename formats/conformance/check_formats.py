#!/usr/bin/env python3
"""Checks the files written by `cargo run -p formats --example write_samples -- DIR` with
astropy (strict VOTable parsing), the csv/json modules and pyarrow, comparing every format's
values with the TABLEDATA VOTable. Prints `PASS name` / `FAIL name: why`; exits 1 on failure."""

import csv
import io
import json
import math
import sys
import warnings

import numpy as np
from astropy.io.votable import parse

failures = 0


def check(name, fn):
    global failures
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fn()
        print(f"PASS {name}")
    except Exception as e:  # a failed check names itself and carries on
        failures += 1
        print(f"FAIL {name}: {type(e).__name__}: {e}")


def votable(path):
    return parse(path, verify="exception")


def status(v):
    return [i.value for i in v.resources[0].infos if i.name == "QUERY_STATUS"]


def reference(d):
    return votable(f"{d}/sample.td.xml").get_first_table().to_table()


def all_nan(v):
    return isinstance(v, np.ndarray) and v.size > 0 and bool(np.all(np.isnan(np.ma.filled(v, np.nan))))


def same(a, b, where):
    # A null fixed-size float array is written as NaNs in TABLEDATA (VOTable 1.4 §5.5).
    if (a is np.ma.masked and all_nan(b)) or (b is np.ma.masked and all_nan(a)):
        return
    if a is np.ma.masked or b is np.ma.masked:
        assert a is b, f"{where}: {a!r} != {b!r}"
        return
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.ma.filled(a, np.nan), np.ma.filled(b, np.nan)
        assert np.array_equal(np.asarray(a, float), np.asarray(b, float), equal_nan=True), f"{where}: {a} != {b}"
        return
    if isinstance(a, float) and math.isnan(a):
        assert isinstance(b, float) and math.isnan(b), f"{where}: {a!r} != {b!r}"
        return
    assert a == b, f"{where}: {a!r} != {b!r}"


def compare_tables(ref, other, label):
    assert ref.colnames == other.colnames, f"{label}: columns {other.colnames}"
    assert len(ref) == len(other), f"{label}: {len(other)} rows, expected {len(ref)}"
    for name in ref.colnames:
        for i in range(len(ref)):
            same(ref[name][i], other[name][i], f"{label} {name}[{i}]")


def text_cell(value):
    if value is np.ma.masked:
        return ""
    if isinstance(value, (np.ndarray, np.ma.MaskedArray)):
        return " ".join(repr(float(x)) for x in value)
    if isinstance(value, (bool, np.bool_)):
        return "T" if value else "F"
    return str(value)


def main(d):
    ref = None

    def load_reference():
        nonlocal ref
        ref = reference(d)
        assert len(ref) > 0
        assert ref["id"].dtype == np.int64
        # int64 beyond 2^53 survives exactly
        assert int(ref["id"][0]) == -(1 << 53)

    check("votable tabledata parses strictly", load_reference)
    if ref is None:
        return
    for ser in ("b", "b2"):
        check(f"votable {ser} parses strictly and equals tabledata",
              lambda ser=ser: compare_tables(ref, votable(f"{d}/sample.{ser}.xml").get_first_table().to_table(), ser))
    for ser in ("td", "b", "b2"):
        def maxrec0(ser=ser):
            v = votable(f"{d}/sample-maxrec0.{ser}.xml")
            assert len(v.get_first_table().array) == 0
            assert status(v) == ["OK", "OVERFLOW"], status(v)
        check(f"votable {ser} maxrec=0 has metadata and a trailing OVERFLOW", maxrec0)

    def error_doc():
        v = votable(f"{d}/error.xml")
        assert status(v) == ["ERROR"]
        assert v.resources[0].type == "results"
    check("error document", error_doc)

    def csv_values():
        with open(f"{d}/sample.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        assert rows[0] == ref.colnames, rows[0]
        assert len(rows) == len(ref) + 1
        for i, row in enumerate(rows[1:]):
            for name, cell in zip(ref.colnames, row):
                v = ref[name][i]
                if name in ("ra", "dec") and v is not np.ma.masked:
                    assert float(cell) == float(v), f"{name}[{i}] {cell} != {v}"
                elif name == "mag" and v is not np.ma.masked:
                    assert np.float32(cell) == v, f"{name}[{i}] {cell} != {v}"
                elif name in ("pos", "region") and (v is np.ma.masked or all_nan(v)):
                    assert cell == "", f"{name}[{i}] {cell!r} should be empty (null)"
                elif name in ("pos", "region"):
                    assert [float(x) for x in cell.split()] == [float(x) for x in np.ma.filled(v, np.nan)], f"{name}[{i}]"
                else:
                    assert cell == text_cell(v), f"{name}[{i}] {cell!r} != {text_cell(v)!r}"
    check("csv header and values equal the votable", csv_values)

    def tsv_values():
        with open(f"{d}/sample.tsv", encoding="utf-8", newline="") as f:
            lines = f.read().split("\n")
        assert lines[-1] == ""
        header, *rows = lines[:-1]
        assert header.split("\t") == ref.colnames
        assert len(rows) == len(ref)
        unescape = lambda s: s.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\")
        for i, line in enumerate(rows):
            cells = line.split("\t")
            assert len(cells) == len(ref.colnames), f"row {i}: {len(cells)} fields"
            name = ref["name"][i]
            assert unescape(cells[4]) == text_cell(name), f"name[{i}]"
            assert int(cells[0]) == int(ref["id"][i])
    check("tsv has one line per row and escapes separators", tsv_values)

    def json_values():
        with open(f"{d}/sample.json", encoding="utf-8") as f:
            doc = json.load(f)
        assert [c["name"] for c in doc["columns"]] == ref.colnames
        assert doc["query_status"] == "OK"
        assert doc["columns"][1]["unit"] == "deg"
        for i, row in enumerate(doc["data"]):
            assert row[0] == int(ref["id"][i]), "int64 exact"
            for j, name in enumerate(ref.colnames):
                v = ref[name][i]
                if v is np.ma.masked:
                    assert row[j] is None, f"{name}[{i}] should be null"
        assert len(doc["data"]) == len(ref)
    check("json rows equal the votable, int64 exact, nulls null", json_values)

    def json_maxrec0():
        with open(f"{d}/sample-maxrec0.json", encoding="utf-8") as f:
            doc = json.load(f)
        assert doc["data"] == [] and doc["query_status"] == "OVERFLOW"
    check("json maxrec=0", json_maxrec0)

    def voparquet():
        import pyarrow.parquet as pq
        meta = pq.read_metadata(f"{d}/sample.parquet").metadata
        assert meta[b"IVOA.VOTable-Parquet.version"] == b"1.0"
        v = parse(io.BytesIO(meta[b"IVOA.VOTable-Parquet.content"]), verify="exception")
        fields = v.get_first_table().fields
        assert [f.name for f in fields] == ref.colnames
        assert fields[1].unit == "deg" and fields[1].ucd == "pos.eq.ra;meta.main"
        assert status(v) == ["OK"]
        t = pq.read_table(f"{d}/sample.parquet")
        assert t.num_rows == len(ref)
        assert t.column("id").to_pylist() == [int(x) for x in ref["id"]]
        meta0 = pq.read_metadata(f"{d}/sample-maxrec0.parquet").metadata
        v0 = parse(io.BytesIO(meta0[b"IVOA.VOTable-Parquet.content"]), verify="exception")
        assert status(v0) == ["OVERFLOW"], status(v0)
    check("voparquet carries the votable metadata and the rows", voparquet)



if __name__ == "__main__":
    main(sys.argv[1])
    sys.exit(1 if failures else 0)
