"""Results shared by the runs of a report build (unvotes.memo): computed once per inputs, never outside a build."""

from __future__ import annotations

from unvotes import memo

CALLS: list = []


@memo.shared
def _square(x, offset=0):
    CALLS.append((x, offset))
    return {"value": x * x + offset}


def test_without_a_memo_folder_the_function_always_runs(monkeypatch):
    monkeypatch.delenv(memo.ENV, raising=False)
    CALLS.clear()
    assert _square(3) == _square(3) == {"value": 9}
    assert len(CALLS) == 2


def test_within_a_build_each_result_is_computed_once_per_arguments(monkeypatch, tmp_path):
    monkeypatch.setenv(memo.ENV, str(tmp_path / "fingerprint-a"))
    CALLS.clear()
    assert _square(3) == {"value": 9}
    assert _square(3, 0) == _square(x=3) == {"value": 9}   # the same call, however the arguments are given
    assert _square(3, offset=1) == {"value": 10}
    assert CALLS == [(3, 0), (3, 1)]
    assert not list((tmp_path / "fingerprint-a").glob("*.part"))
    # other inputs (another fingerprint's folder) never see these results
    monkeypatch.setenv(memo.ENV, str(tmp_path / "fingerprint-b"))
    assert _square(3) == {"value": 9}
    assert CALLS == [(3, 0), (3, 1), (3, 0)]
