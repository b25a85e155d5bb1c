"""The model sections' notebooks (the abstention models, their robustness, the hierarchical model) execute with their defaults and render without code: a share of test_notebooks.py's runs
(notebook_runs.NOTEBOOK_SHARDS), in a module of its own so that pytest-xdist runs it on the other worker."""

import pytest

from notebook_runs import check_executed, notebook_shard

pytestmark = pytest.mark.notebooks


@pytest.mark.parametrize("notebook", notebook_shard("test_notebooks_models.py"), ids=lambda p: p.name)
def test_executes_with_defaults_and_renders_without_code(notebook, in_data_dir, rendered):
    check_executed(rendered(notebook))
