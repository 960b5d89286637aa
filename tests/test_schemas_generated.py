"""The shipped JSON Schemas (sendkg/schemas/*.schema.json) are exactly what scripts/json_schemas.py
writes, byte for byte, so that a schema edited by hand is not lost the next time the script runs
(and a change made in the script reaches the files)."""

import importlib.util
from pathlib import Path

import pytest

from conftest import ROOT

SHIPPED = ROOT / "sendkg" / "schemas"
FIX = "run python scripts/json_schemas.py and review the diff"


def generator():
    spec = importlib.util.spec_from_file_location("json_schemas", ROOT / "scripts" / "json_schemas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def drift(written, shipped) -> list[str]:
    """What differs between two folders of schemas: one line per file, naming it and the fix."""
    ours = {p.name: p.read_bytes() for p in written.glob("*.schema.json")}
    theirs = {p.name: p.read_bytes() for p in shipped.glob("*.schema.json")}
    out = []
    for name in sorted(ours.keys() | theirs.keys()):
        if name not in theirs:
            out.append(f"sendkg/schemas/{name} is missing: {FIX}")
        elif name not in ours:
            out.append(f"sendkg/schemas/{name} is not written by the script (add it there): {FIX}")
        elif ours[name] != theirs[name]:
            out.append(f"sendkg/schemas/{name} differs from what the script writes: {FIX}")
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("schemas")
    generator().main([str(out)])
    return out


def test_the_shipped_schemas_are_what_the_script_writes(written):
    problems = drift(written, SHIPPED)
    assert not problems, "\n".join(problems)


def test_the_script_writes_to_the_folder_given_and_says_so(tmp_path, capsys):
    out = tmp_path / "new" / "folder"  # made, parents too
    generator().main([str(out)])
    printed = capsys.readouterr().out.splitlines()
    files = sorted(out.glob("*.schema.json"))
    assert files and len(printed) == len(files)
    assert all(line.startswith("wrote ") for line in printed), printed
    assert sorted(Path(line.removeprefix("wrote ")).resolve() for line in printed) == [p.resolve() for p in files]
    assert not (tmp_path / "sendkg").exists()


def test_a_drifted_file_is_named(tmp_path):
    """The check can fail: a shipped file edited by hand (a key added) is named, with the fix."""
    import shutil

    copy = tmp_path / "shipped"
    shutil.copytree(SHIPPED, copy)
    edited = copy / "study.schema.json"
    edited.write_text(edited.read_text().replace('"unread"', '"unread_by_hand"'))
    (copy / "decisions.schema.json").unlink()
    assert drift(SHIPPED, copy) == [f"sendkg/schemas/decisions.schema.json is missing: {FIX}",
                                    f"sendkg/schemas/study.schema.json differs from what the script writes: {FIX}"]
