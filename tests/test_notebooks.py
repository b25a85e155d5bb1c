"""Every notebook executes with its default parameters; bad parameters fail in the first code cell;
the rendered HTML has no code cells and no error outputs; notebooks are committed without outputs.

The notebooks are executed by this module and two others (test_notebooks_models.py, test_notebooks_votes.py),
a share each (notebook_runs.NOTEBOOK_SHARDS), so that pytest-xdist runs them on both workers."""

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from notebook_runs import NOTEBOOK_SHARDS, check_executed, notebook_shard

pytestmark = pytest.mark.notebooks
NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_and_with_parameters_cell(notebook):
    nb = json.loads(notebook.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and not c.get("execution_count") for c in code)
    assert sum("parameters" in c.get("metadata", {}).get("tags", []) for c in code) == 1
    # valid against its own nbformat version: cell ids need 4.5 (a 4.4 notebook with ids fails strict readers)
    nbformat.validate(nbformat.from_dict(nb))


def test_every_notebook_is_executed_by_exactly_one_module():
    """The notebooks' runs are shared out between three modules (notebook_runs.NOTEBOOK_SHARDS): a new notebook
    must be added to one of them, or it would never be executed by the tests."""
    listed = [name for names in NOTEBOOK_SHARDS.values() for name in names]
    assert sorted(listed) == [p.name for p in NOTEBOOKS], "add the notebook to notebook_runs.NOTEBOOK_SHARDS"
    here = Path(__file__).parent
    assert all((here / module).is_file() for module in NOTEBOOK_SHARDS)


@pytest.mark.parametrize("notebook", notebook_shard("test_notebooks.py"), ids=lambda p: p.name)
def test_executes_with_defaults_and_renders_without_code(notebook, in_data_dir, rendered):
    check_executed(rendered(notebook))


def test_data_overview_content(in_data_dir, rendered):
    text = rendered(NOTEBOOKS[[p.name for p in NOTEBOOKS].index("data_overview.ipynb")]).read_text()
    for expected in ("Sources used", "70f4e80922ec7542", "A/RES/75/290 A", "published 59 abstain, listed 58",
                     "141-5-35", "100-11-58", "data:image/png", "IdealPointAll", "ru_arms_share_2010_2021"):
        assert expected in text, expected


def test_unknown_parameter_value_fails_in_first_code_cell(in_data_dir, tmp_path):
    nb = next(p for p in NOTEBOOKS if p.name == "data_overview.ipynb")
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(nb), str(tmp_path / "out.ipynb"), parameters={"key_votes": ["A/RES/ES-11/44"]},
                            progress_bar=False, kernel_name="python3")
    assert err.value.ename == "UnknownVoteError" and "A/RES/ES-11/4" in err.value.evalue
    assert err.value.exec_count <= 3  # parameters, injected parameters, the checking cell
