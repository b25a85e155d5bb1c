"""pyproject.toml declares compatible ranges (core and the extras report, lab, dev); requirements.lock pins
the exact versions `make install` and CI install; environment.yml (conda users) pins the same versions. Every
pin must lie in its range, and the three must name the same packages."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ("report", "lab", "dev")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for req in requirements:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*==\s*([A-Za-z0-9_.\-]+)\s*", req)
        assert m, f"not an exact pin (name==version): {req!r}"
        pins[_canonical(m.group(1))] = m.group(2)
    return pins


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pyproject_ranges(extras=EXTRAS) -> dict[str, Requirement]:
    """name -> requirement (with its version range) of the core and the extras (the extras' references to the
    package itself, ``unvotes[report]``, left out)."""
    project = _project()
    reqs = list(project["dependencies"]) + [r for e in extras for r in project["optional-dependencies"][e]]
    out = {}
    for text in reqs:
        req = Requirement(text)
        if _canonical(req.name) != "unvotes":
            out[_canonical(req.name)] = req
    return out


def environment_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return _pins([r for r in pip_section if not r.startswith("-e")])


def test_ranges_are_compatible_ranges_with_extras():
    project = _project()
    assert set(project["optional-dependencies"]) == set(EXTRAS)
    for name, req in pyproject_ranges().items():
        ops = {s.operator for s in req.specifier}
        assert ops == {">=", "<"}, f"{name}: give a compatible range (>= tested, < next breaking), not {req.specifier}"
    core = {_canonical(Requirement(r).name) for r in project["dependencies"]}
    assert not core & {"jupyterlab", "pytest", "sphinx", "papermill", "geopandas", "jax"}, "tools in the core"


def test_same_packages_and_versions():
    ranges, env, lock = pyproject_ranges(), environment_pins(), lock_pins()
    assert set(ranges) == set(env), (f"only in pyproject: {set(ranges) - set(env)}; "
                                     f"only in environment.yml: {set(env) - set(ranges)}")
    differ = {k: (env[k], lock.get(k)) for k in env if lock.get(k) != env[k]}
    assert not differ, f"versions differ (environment.yml, requirements.lock): {differ}"
    outside = {k: (str(r.specifier), lock.get(k)) for k, r in ranges.items() if lock.get(k) not in r.specifier}
    assert not outside, f"locked versions outside pyproject's ranges (range, lock): {outside}"


def test_python_versions_agree():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    requires = _project()["requires-python"]
    # the package allows 3.11 and newer; the lock (and so make, CI and conda) is resolved for 3.11
    assert conda_python == "python=3.11" and requires == ">=3.11"


def test_environment_installs_the_project_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert "-e .[report,lab,dev]" in pip_section
    assert 'pip install --quiet -c requirements.lock -e ".[report,lab,dev]"' in (ROOT / "Makefile").read_text()


def test_pandas_stays_below_3_for_country_converter():
    # country_converter 1.3.2 fails to construct under pandas 3.x (Namibia's ISO2 "NA" read as missing)
    assert "3" not in pyproject_ranges()["pandas"].specifier and lock_pins()["pandas"].startswith("2.")


def test_installed_versions_are_in_the_ranges():
    from importlib.metadata import version

    wrong = {name: (str(r.specifier), version(name)) for name, r in pyproject_ranges().items()
             if version(name) not in r.specifier}
    assert not wrong, f"installed versions outside the ranges (range, installed): {wrong}; run `make install`"


def lock_pins() -> dict[str, str]:
    lines = [ln for ln in (ROOT / "requirements.lock").read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    return _pins(lines)


def test_the_lock_file_pins_every_declared_package():
    """requirements.lock pins every package (make and CI install through it); a package added to
    pyproject.toml without `make lock` fails here."""
    missing = sorted(set(pyproject_ranges()) - set(lock_pins()))
    assert not missing, f"requirements.lock is stale (run `make lock`): missing {missing}"


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
                    "IPython": "ipython"}
    undeclared = sorted(m for m in third_party if _canonical(distribution.get(m, m)) not in pyproject_ranges())
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


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
