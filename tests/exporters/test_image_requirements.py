"""Each image installs exactly its dependencies with requirements.lock's versions and hashes (nothing floats)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement

from exporters.image_requirements import (
    IMAGE_ROOTS,
    LOCK,
    LockError,
    expected,
    normalise,
    parse_lock,
    requirements_path,
)
from tests.exporters.conftest import REPO

IMAGES = sorted(IMAGE_ROOTS)


def hashed_lines(text: str) -> dict[str, tuple[str, set[str]]]:
    """A second, line-level reading (not the generator's parser): name -> (version, hashes)."""
    out: dict[str, tuple[str, set[str]]] = {}
    name = None
    for line in text.splitlines():
        if pin := re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line):
            name = normalise(pin[1])
            out[name] = (pin[2], set())
        elif hashed := re.match(r"^\s+--hash=(\S+?)\s*\\?$", line):
            out[name][1].add(hashed[1])
    return out


@pytest.mark.parametrize("image", IMAGES)
def test_image_requirements_are_a_subset_of_the_lock_with_identical_hashes(image):
    lock = hashed_lines(LOCK.read_text())
    wanted = hashed_lines(requirements_path(image).read_text())
    assert wanted, f"{requirements_path(image)} is empty"
    for name, (version, hashes) in wanted.items():
        assert name in lock, f"{image}: {name} is not in requirements.lock"
        assert (version, hashes) == lock[name], f"{image}: {name} differs from requirements.lock"
        assert hashes, f"{image}: {name} has no hash"


@pytest.mark.parametrize("image", IMAGES)
def test_image_requirements_hold_exactly_the_runtime_dependency_closure(image):
    """Resolved independently from the installed packages' metadata (same versions as the lock): every
    dependency the image's pins need on Linux/CPython 3.11 is there, and nothing else."""
    extras = {"psycopg": {"binary"}}
    needed: set[str] = set()
    todo = [normalise(r) for r in IMAGE_ROOTS[image]]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        for raw in metadata.requires(name) or []:
            req = Requirement(raw)
            active = extras.get(name, set()) | {""}
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in active):
                todo.append(normalise(req.name))
    assert set(hashed_lines(requirements_path(image).read_text())) == needed


@pytest.mark.parametrize("image", IMAGES)
def test_image_pins_are_the_project_pins(image):
    pins = {}
    for dep in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]:
        req = Requirement(dep)
        pins[normalise(req.name)] = str(req.specifier).removeprefix("==")
    wanted = hashed_lines(requirements_path(image).read_text())
    for root in IMAGE_ROOTS[image]:
        if normalise(root) in pins:
            assert wanted[normalise(root)][0] == pins[normalise(root)], root


def test_files_are_what_the_generator_writes_from_the_lock():
    for image, text in expected(LOCK.read_text()).items():
        assert requirements_path(image).read_text() == text, "run: python -m exporters.image_requirements"
    result = subprocess.run(
        [sys.executable, "-m", "exporters.image_requirements", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_a_lock_entry_without_hash_is_refused():
    with pytest.raises(LockError, match="click has no --hash"):
        parse_lock("click==8.5.1\n    # via x\n")
    with pytest.raises(LockError, match="not in requirements.lock: requests"):
        from exporters.image_requirements import closure

        closure(parse_lock("click==8.5.1 \\\n    --hash=sha256:" + "0" * 64 + "\n"), ("requests",))
