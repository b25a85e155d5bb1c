"""environment.yml (conda users) and pyproject.toml (pip) must pin the same packages at the same versions."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for req in requirements:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*==\s*([A-Za-z0-9_.\-]+)\s*", req)
        assert m, f"not an exact pin (name==version): {req!r}"
        pins[_canonical(m.group(1))] = m.group(2)
    return pins


def pyproject_pins() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return _pins(data["project"]["dependencies"])


def environment_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return _pins([r for r in pip_section if not r.startswith("-e")])


def test_same_packages_and_versions():
    py, env = pyproject_pins(), environment_pins()
    assert set(py) == set(env), f"only in pyproject: {set(py) - set(env)}; only in environment.yml: {set(env) - set(py)}"
    differ = {k: (py[k], env[k]) for k in py if py[k] != env[k]}
    assert not differ, f"versions differ (pyproject, environment.yml): {differ}"


def test_python_versions_agree():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert conda_python == "python=3.11" and ">=3.11" in requires and "<3.12" in requires


def test_environment_installs_the_project_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert "-e ." in pip_section


def test_pandas_stays_below_3_for_country_converter():
    # country_converter 1.3.2 fails to construct under pandas 3.x (Namibia's ISO2 "NA" read as missing)
    assert pyproject_pins()["pandas"].startswith("2.")


def test_installed_versions_match_the_pins():
    from importlib.metadata import version

    wrong = {name: (pin, version(name)) for name, pin in pyproject_pins().items() if version(name) != pin}
    assert not wrong, f"installed versions differ from the pins (pin, installed): {wrong}; run `make install`"


def lock_pins() -> dict[str, str]:
    lines = [ln for ln in (ROOT / "requirements.lock").read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    return _pins(lines)


def test_the_lock_file_agrees_with_the_pins():
    """requirements.lock pins every package (make and CI install through it); a pin changed in
    pyproject.toml without `make lock` fails here."""
    lock, py = lock_pins(), pyproject_pins()
    missing = sorted(set(py) - set(lock))
    differ = {k: (py[k], lock[k]) for k in py if k in lock and lock[k] != py[k]}
    assert not missing and not differ, (f"requirements.lock is stale (run `make lock`): missing {missing}, "
                                        f"versions differ (pyproject, lock) {differ}")


def test_the_installed_environment_is_the_locked_one():
    from importlib.metadata import PackageNotFoundError, distributions, version

    lock = lock_pins()
    wrong = {}
    for name, pin in lock.items():
        try:
            got = version(name)
        except PackageNotFoundError:
            got = "not installed"
        if got != pin:
            wrong[name] = (pin, got)
    assert not wrong, f"installed versions differ from requirements.lock (lock, installed): {wrong}; run `make install`"
    unpinned = sorted({_canonical(d.metadata["Name"]) for d in distributions()} - set(lock) - {"unvotes", "pip", "setuptools", "wheel"})
    assert not unpinned, f"installed but not in requirements.lock: {unpinned}; run `make lock`"


def test_every_imported_package_is_declared():
    """A package the code imports directly must be pinned in pyproject.toml, not only arrive with another."""
    import sys

    imported = set()
    for path in (ROOT / "lib" / "unvotes").rglob("*.py"):
        imported |= set(re.findall(r"^\s*(?:import|from)\s+([A-Za-z_][A-Za-z0-9_]*)", path.read_text(), re.M))
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in {"unvotes", "__future__"}}
    distribution = {"yaml": "pyyaml", "country_converter": "country-converter", "jupyter_client": "jupyter-client",
                    "IPython": "ipython", "vl_convert": "vl-convert-python"}
    undeclared = sorted(m for m in third_party if _canonical(distribution.get(m, m)) not in pyproject_pins())
    assert not undeclared, f"imported but not pinned in pyproject.toml: {undeclared}"


def test_the_makefile_asks_for_the_python_every_installed_package_needs():
    """`make install` refuses a Python older than MIN_PYTHON with a clear message; below the oldest that
    every locked package accepts, pip would fail instead with an error naming another package (3.11.2 and
    soupsieve 4.1.3 gave "Cannot install nbconvert")."""
    from importlib.metadata import distributions

    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    minimum = re.search(r"^MIN_PYTHON := (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    needs = {d.metadata.get("Name"): d.metadata.get("Requires-Python") for d in distributions()}
    too_old = {name: spec for name, spec in needs.items() if spec and Version(minimum) not in SpecifierSet(spec)}
    assert not too_old, f"MIN_PYTHON {minimum} in the Makefile is older than these packages need: {too_old}"
