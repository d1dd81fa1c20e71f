"""Validate single corpus files against the schema: ``python -m toolkit.validate_file FILE...``.

Prints ``ok`` or the validation errors; exit 1 on errors.  A convenience for
authors; ``stdkit check`` is the full check.
"""
from __future__ import annotations

import sys

import yaml

from toolkit.model import FILE_KINDS, RegistryFile


def main(argv: list[str]) -> int:
    rc = 0
    for path in argv:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        key = next(iter(data))
        model = FILE_KINDS.get(key, RegistryFile)
        try:
            model.model_validate(data)
            print(f"{path}: ok")
        except Exception as exc:  # pydantic.ValidationError
            print(f"{path}: {exc}")
            rc = 1
    return rc


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
