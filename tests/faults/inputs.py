"""Small generated inputs for the fault suite: good files whose numbers are easy to check."""

from __future__ import annotations

from pathlib import Path


def pxweb_csv(path: Path, hanoi: str = "8093.9", haiphong: str = "2028.5") -> Path:
    """A GSO PX-Web export as the statistical database writes it (4 observations)."""
    lines = [
        '\ufeff"Average population by province by Cities, provincies, Average population and Year"',
        "",
        '"Cities, provincies";"Total 2018";"Total 2019"',
        f'"Ha Noi";"7520.7";"{hanoi}"',
        f'"Hai Phong";"2013.8";"{haiphong}"',
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path
