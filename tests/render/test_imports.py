"""The heavy imports of the writers: WeasyPrint without ctypes' library search, jieba without pkg_resources.

Each test runs a fresh interpreter: what is measured is the import itself.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest


def _run(code: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


LIBS = ("libs = sorted({l.split()[-1].rsplit('/', 1)[-1].split('.so')[0] for l in open('/proc/self/maps') "
        "if '.so' in l and any(k in l for k in ('pango', 'harfbuzz', 'fontconfig', 'gobject'))})")
"""The text libraries this process has loaded (``/proc/self/maps``), by name without version."""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library-search shortcut is Linux-only")
def test_weasyprint_import_spawns_no_process_and_loads_the_same_libraries():
    out = _run(f"""
        import json, subprocess
        spawned = []
        real = subprocess.Popen.__init__
        def record(self, args, *a, **k):
            spawned.append(args if isinstance(args, str) else " ".join(map(str, args)))
            return real(self, args, *a, **k)
        subprocess.Popen.__init__ = record
        from toolkit.render.pdf import html_to_pdf, import_weasyprint
        import ctypes.util
        before = ctypes.util.find_library
        wp = import_weasyprint()
        {LIBS}
        pdf = html_to_pdf("<p>中文 abc</p>")
        print(json.dumps({{"spawned": spawned, "libs": libs, "restored": ctypes.util.find_library is before,
                           "same": import_weasyprint() is wp, "pdf": pdf[:5].decode()}}))
    """)
    plain = _run(f"""
        import json, weasyprint
        {LIBS}
        print(json.dumps({{"libs": libs}}))
    """)
    assert out["spawned"] == []  # a plain import runs ldconfig, gcc and ld about 20 times
    assert out["restored"] and out["same"] and out["pdf"] == "%PDF-"
    assert out["libs"] == plain["libs"] and {"libpango-1.0", "libharfbuzz", "libfontconfig"} <= set(out["libs"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fallback belongs to the Linux-only shortcut")
def test_weasyprint_import_falls_back_to_the_library_search_and_prints_nothing_of_the_first_try():
    out = _run("""
        import builtins, io, json, sys, contextlib
        real_import = builtins.__import__
        tries = []
        def failing_once(name, *a, **k):  # the first import of WeasyPrint's library loader fails, as on a system
            if name.endswith("ffi") and "weasyprint.text.ffi" not in sys.modules and not tries:  # whose sonames differ
                tries.append(name)
                print("WeasyPrint could not import some external libraries.")
                raise OSError("cannot load library")
            return real_import(name, *a, **k)
        builtins.__import__ = failing_once
        from toolkit.render.pdf import import_weasyprint
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            wp = import_weasyprint()
        builtins.__import__ = real_import
        print(json.dumps({"tries": len(tries), "printed": buf.getvalue(), "ok": hasattr(wp, "HTML")}))
    """)
    assert out == {"tries": 1, "printed": "", "ok": True}


def test_jieba_import_skips_pkg_resources_and_cuts_as_a_plain_import_does():
    text = "国土空间规划应将碳排放强度作为约束性指标传导至详细规划"
    out = _run(f"""
        import json, sys
        from toolkit.textfmt import import_jieba
        jieba = import_jieba()
        print(json.dumps({{"loaded": "pkg_resources" in sys.modules, "words": list(jieba.cut("{text}")),
                          "same": import_jieba() is jieba, "left": "pkg_resources" in sys.modules,
                          "dict": jieba.dt.get_dict_file().name}}))
    """)
    plain = _run(f"""
        import json, jieba
        print(json.dumps({{"words": list(jieba.cut("{text}")), "dict": jieba.dt.get_dict_file().name}}))
    """)
    assert out["loaded"] is False and out["left"] is False and out["same"] is True
    assert out["words"] == plain["words"] and len(out["words"]) > 3
    assert out["dict"] == plain["dict"]
