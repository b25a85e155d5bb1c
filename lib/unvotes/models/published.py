"""The published findings on these votes, re-tested with the project's proxies.

``data/external/published_findings.csv`` (cited per row) lists each study's findings with the sign it
reports on *not voting yes*, its vote, sample and outcome, and the project's proxy for the covariate.
:func:`replicate_published` re-estimates each study on its own vote, sample and outcome (a Firth logit of
one vote); :func:`compare_with_published` checks the published signs against any fitted model. Verdicts use
the Holm-adjusted p-values of the model's family of effects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from unvotes.models import model_data
from unvotes.errors import UnvotesError
from unvotes.tables.external import read_curated
from unvotes.models.fitting import AbstentionModel, fit

PUBLISHED_FILE = "published_findings.csv"
PUBLISHED_COLUMNS = ["study", "citation", "url", "vote_id", "sample", "outcome", "finding", "published_sign",
                     "project_covariate", "proxy_direction", "proxy_note"]


def published_findings() -> pd.DataFrame:
    """The curated table of published findings (``data/external/published_findings.csv``), checked."""
    df = read_curated(PUBLISHED_FILE, PUBLISHED_COLUMNS)
    from unvotes.tables import dated

    choices = set(model_data.covariate_choices()) | set(dated.NOT_FOR_MODELS)
    problems = []
    for i, row in df.iterrows():
        where = f"row {i + 2} ({row['study']}: {row['finding']})"
        if row["published_sign"] not in {"+1", "-1"}:
            problems.append(f"{where}: published_sign must be +1 or -1, got {row['published_sign']!r}")
        if row["project_covariate"] and row["project_covariate"] not in choices:
            problems.append(f"{where}: project_covariate {row['project_covariate']!r} is neither a countries.parquet "
                            "column nor a dated covariate")
        if row["project_covariate"] and row["proxy_direction"] not in {"+1", "-1"}:
            problems.append(f"{where}: proxy_direction must be +1 or -1 when a project covariate is named")
        if row["outcome"] not in model_data.OUTCOMES:
            problems.append(f"{where}: unknown outcome {row['outcome']!r}")
        if not row["citation"] or not row["url"]:
            problems.append(f"{where}: citation and url are required")
    if problems:
        raise UnvotesError(f"data/external/{PUBLISHED_FILE}: " + "; ".join(problems))
    df["published_sign"] = df["published_sign"].astype(int)
    df["proxy_direction"] = pd.to_numeric(df["proxy_direction"].replace("", np.nan)).astype("Int64")
    return df


NOT_IN_DATA = "not in the project's data"
#: The verdict of a finding whose proxy is in the data but refused by the models (its coverage: an unknown is not
#: a "no"); the reason follows it.
NOT_USABLE = "in the data, not usable in a model"


def _unusable(cov: str) -> str | None:
    """The verdict for a proxy no model can use (:data:`unvotes.tables.dated.NOT_FOR_MODELS`), with the reason."""
    from unvotes.tables import dated

    return f"{NOT_USABLE}: {dated.NOT_FOR_MODELS[cov]}" if cov in dated.NOT_FOR_MODELS else None


def _verdict(sign_agrees: bool, significant: bool) -> str:
    if sign_agrees:
        return "agrees (holds after Holm)" if significant else "same sign, not significant after Holm"
    return "disagrees (holds after Holm)" if significant else "opposite sign, not significant after Holm"


def compare_with_published(model: AbstentionModel, findings: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each published finding: the project's estimate for its proxy in ``model`` and whether the sign
    agrees. Published signs are on *not voting yes*; a binary model's outcome (abstain, not-yes ...) has the
    same direction; for the multinomial model the AME on P(yes) is used with its sign reversed. A proxy that
    separated the outcome is judged by the sign of the separating direction."""
    findings = published_findings() if findings is None else findings
    ame = model.ame().set_index("covariate")
    sep_sign = model.separated_signs
    estimate_from = (f"{model.description}, {model.data.group}, "
                     f"{model.data.votes[0] if len(model.data.votes) == 1 else str(len(model.data.votes)) + ' votes'}, "
                     f"outcome {model.data.outcome}")
    rows = []
    for _, f in findings.iterrows():
        cov = f["project_covariate"]
        out = {"study": f["study"], "finding": f["finding"], "published_sign": f["published_sign"],
               "vote_id": f["vote_id"], "proxy": cov or "", "ame": np.nan, "ci_low": np.nan, "ci_high": np.nan}
        if not cov:
            out["verdict"] = NOT_IN_DATA
        elif _unusable(cov):
            out["verdict"] = _unusable(cov)
        elif cov not in model.data.covariates:
            out["verdict"] = "not in this model"
        elif cov in ame.index and cov in {model.data.term_covariate[t] for t in model.terms}:
            a = ame.loc[[cov]].iloc[0]
            direction = int(f["proxy_direction"])
            est_sign = int(np.sign(a["ame"])) * direction
            significant = bool(a["p_holm"] < 0.05)
            out.update(ame=a["ame"], ci_low=a["ci_low"], ci_high=a["ci_high"],
                       verdict=_verdict(est_sign == f["published_sign"], significant))
        elif cov in sep_sign:
            est_sign = sep_sign[cov] * int(f["proxy_direction"])
            out["verdict"] = ("agrees (perfect prediction: separation)" if est_sign == f["published_sign"]
                              else "disagrees (perfect prediction: separation)")
        else:
            out["verdict"] = "dropped: constant in the sample"
        out["proxy_note"] = f["proxy_note"]
        out["estimate_from"] = estimate_from
        rows.append(out)
    return pd.DataFrame(rows)


def replicate_published(findings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each study re-estimated on its own vote, sample and outcome with the project's proxies for its
    findings (one logit per study, all its proxies together), then compared sign by sign."""
    findings = published_findings() if findings is None else findings
    out = []
    for (study, vote_id, sample, outcome), rows in findings.groupby(["study", "vote_id", "sample", "outcome"], sort=False):
        covs = list(dict.fromkeys(c for c in rows["project_covariate"] if c and not _unusable(c)))
        if covs:
            m = fit([vote_id], None if sample == "all" else sample, covs, outcome)
            table = compare_with_published(m, rows)
            table["sample"] = m.data.group
            table["n_obs"] = m.estimate.n_obs
        else:
            table = compare_with_published_empty(rows)
        out.append(table)
    return pd.concat(out, ignore_index=True)


def compare_with_published_empty(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"study": rows["study"], "finding": rows["finding"], "published_sign": rows["published_sign"],
                         "vote_id": rows["vote_id"], "proxy": rows["project_covariate"], "ame": np.nan,
                         "ci_low": np.nan, "ci_high": np.nan,
                         "verdict": [(_unusable(c) or NOT_IN_DATA) if c else NOT_IN_DATA for c in rows["project_covariate"]],
                         "proxy_note": rows["proxy_note"], "estimate_from": ""})


def published_summary(table: pd.DataFrame) -> str:
    """Sentences (markdown) generated from a comparison table: agreements, disagreements, missing covariates.
    A proxy that stands in for several findings of a study is one test, not several: it is counted once.
    The curated texts (study, finding) are literal text on the page (site.markup.md_text, the one escaper)."""
    from unvotes.site.markup import md_text

    table = table.assign(study=table["study"].map(md_text), finding=table["finding"].map(md_text))
    lines = []
    for study, rows in table.groupby("study", sort=False):
        agree = rows[rows["verdict"].str.startswith(("agrees", "same sign"))]
        disagree = rows[rows["verdict"].str.startswith(("disagrees", "opposite"))]
        lacking = rows[rows["verdict"] == NOT_IN_DATA]
        unusable = rows[rows["verdict"].str.startswith(NOT_USABLE)]

        def fmt(d):
            return "; ".join(f"{r.finding} (proxy `{r.proxy}`: {r.verdict}"
                             + (f", AME {r.ame:+.3f} [{r.ci_low:+.3f}, {r.ci_high:+.3f}])" if pd.notna(r.ame) else ")")
                             for r in d.itertuples())
        tested = rows[(rows["proxy"] != "") & ~rows["verdict"].str.startswith(NOT_USABLE)]
        shared = tested.groupby("proxy")["finding"].agg(list)
        shared = shared[shared.map(len) > 1]
        parts = [f"**{study}**:"]
        if len(tested):
            parts.append(f"{tested['proxy'].nunique()} distinct proxies tested"
                         + (" (" + "; ".join(f"`{p}` stands in for {len(f)} findings" for p, f in shared.items()) + ")"
                            if len(shared) else "") + ";")
        parts.append(f"same sign for {fmt(agree)}." if len(agree) else "no finding reproduced in sign.")
        if len(disagree):
            parts.append(f"Opposite sign for {fmt(disagree)}.")
        if len(lacking):
            parts.append("Not testable here (the project lacks the covariate): "
                         + ", ".join(lacking["finding"]) + ".")
        if len(unusable):
            parts.append("In the data but not usable in a model: " + "; ".join(
                f"{r.finding} (`{r.proxy}`{r.verdict.removeprefix(NOT_USABLE)})" for r in unusable.itertuples()) + ".")
        lines.append("- " + " ".join(parts))
    return "\n".join(lines)


def published_table(replication: pd.DataFrame) -> pd.DataFrame:
    """:func:`replicate_published` in a reader's terms: the published direction as a sign, the proxy by its
    label, the AME and its 95% CI in percentage points (a dash where the finding has no proxy here)."""
    from unvotes.tables import labels

    found = replication["ame"].notna()
    return pd.DataFrame({
        "study": replication["study"], "finding": replication["finding"],
        "published direction": replication["published_sign"].map({1: "+", -1: "−"}),
        "measured here by": replication["proxy"].map(lambda c: labels.label(c) if isinstance(c, str) and c else None),
        "AME (pp)": replication["ame"] * 100,
        "95% CI (pp)": [f"{lo * 100:+.1f} to {hi * 100:+.1f}" if ok else None
                        for lo, hi, ok in zip(replication["ci_low"], replication["ci_high"], found)],
        "verdict": replication["verdict"], "sample": replication["sample"], "state-votes": replication["n_obs"]})
