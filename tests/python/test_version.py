"""The package imports, is typed, and reports the workspace's version."""

import pathlib
import tomllib

import vnaccs

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_version_matches_cargo_manifest() -> None:
    manifest = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))
    assert vnaccs.__version__ == manifest["workspace"]["package"]["version"]
    assert vnaccs.version() == vnaccs.__version__


def test_package_ships_type_information() -> None:
    package = pathlib.Path(vnaccs.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "_vnaccs.pyi").exists()


def test_the_extension_is_built_for_the_stable_abi() -> None:
    from vnaccs import _vnaccs

    assert pathlib.Path(_vnaccs.__file__).name.startswith("_vnaccs.abi3."), _vnaccs.__file__
