"""Build the splitter's C accelerator (claims/importing/_segment.c) in place, for the Python running this.

No setuptools: the compiler, flags and file name come from sysconfig, as build_ext would take them. The
Makefile runs this for both virtualenvs; when it fails, segment.py falls back to its pure-Python
implementation (the app works, slower) and tests/importing/test_segment_native.py fails to say so.

    python scripts/build_native.py          # build (a no-op when the .so is newer than the source)
    python scripts/build_native.py --force  # rebuild
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "claims" / "importing" / "_segment.c"
TARGET = SOURCE.with_name("_segment" + sysconfig.get_config_var("EXT_SUFFIX"))


def command() -> list[str]:
    compiler = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    include = sysconfig.get_paths()["include"]
    return [
        *compiler,
        *shlex.split(sysconfig.get_config_var("CCSHARED") or "-fPIC"),
        "-shared",
        "-O2",
        "-Wall",
        "-Wextra",
        "-Wno-unused-parameter",
        "-Wno-missing-field-initializers",
        f"-I{include}",
        str(SOURCE),
        "-o",
        str(TARGET),
    ]


def main() -> int:
    if "--force" not in sys.argv and TARGET.exists() and TARGET.stat().st_mtime >= SOURCE.stat().st_mtime:
        print(f"{TARGET.relative_to(ROOT)} is up to date")
        return 0
    argv = command()
    print(" ".join(argv))
    TARGET.unlink(missing_ok=True)  # a failed build must not leave an older module behind
    try:
        returncode = subprocess.run(argv, check=False).returncode  # noqa: S603 - sysconfig's compiler, our source
    except OSError as error:  # no compiler
        print(error, file=sys.stderr)
        returncode = 1
    if returncode:
        print("building the native splitter failed; the pure-Python one will be used", file=sys.stderr)
    return returncode


if __name__ == "__main__":
    sys.exit(main())
