"""What predicts how states vote on Russia's war against Ukraine (or on any other roll calls): models of the votes.

One public face; the parts, by what a reader looks for:

* :mod:`.fitting`: the outcome, the design and the fitted model (:func:`fit`, :class:`AbstentionModel`);
  the data preparation itself is :mod:`unvotes.models.model_data`.
* :mod:`.estimators`: Firth's logit and the penalised ordered and multinomial logits, with standard
  errors clustered by state.
* :mod:`.separation`: exact detection of perfect prediction.
* :mod:`.effects`: average marginal effects, delta-method intervals, Holm adjustment.
* :mod:`.evaluation`: AUC, Brier, log-loss, accuracy; cross-validation by states; rolling-origin prediction
  of each vote from the earlier ones, nested models against persistence, paired log-loss tests.
* :mod:`.robustness`: the specification curve with the estimand held fixed, in common units, and the
  stability of each estimate across it.
* :mod:`.published`: the published studies' findings re-tested.
* :mod:`.reporting` and :mod:`.figures`: sentences, tables and figures generated from the estimates.

The pooled models' headline is an ordered logit of yes < abstain < no (``outcome="ordered"``, the pooled ordered
logit; the report's main model is the hierarchical one of :mod:`.hierarchical`); absence is modelled as its
own choice (``outcome="choice"``); binary definitions are robustness checks. The estimates describe
associations across states, not causes.
"""

from unvotes.models.effects import average_marginal_effects, holds, holm
from unvotes.models.evaluation import (
    RollingOrigin, accuracy, auc, auc_within, brier, cross_validate, cross_validation_table, log_loss,
    rolling_origin, scores,
)
from unvotes.models.figures import (
    plot_ame, plot_rolling_origin, plot_predicted, plot_prior_sensitivity, plot_specifications,
)
from unvotes.models.fitting import (
    DEFAULT_PRIOR_SCALE, ESTIMATORS, AbstentionModel, family_of, fit, fit_data, subset_terms, targets,
)
from unvotes.models.published import (
    PUBLISHED_FILE, compare_with_published, published_findings, published_summary, published_table,
    replicate_published,
)
from unvotes.models.reporting import (
    COVARIATE_SOURCES, ame_table, check_parameters, describe_sample, headline, headline_findings, outcome_table,
    source_line, target_text,
)
from unvotes.models.robustness import (
    COMMON_UNITS, ESTIMAND, PRIOR_SCALES, SPECIFICATIONS, in_common_units, other_estimands, prior_sensitivity,
    prior_table, robustness_headline, robustness_table, specification_curve, specification_effects,
    specifications_for, stability, stability_headline,
)
from unvotes.models.separation import Separation, detect_separation

__all__ = [
    "AbstentionModel", "COMMON_UNITS", "COVARIATE_SOURCES", "ESTIMAND", "DEFAULT_PRIOR_SCALE", "ESTIMATORS", "RollingOrigin", "PUBLISHED_FILE",
    "PRIOR_SCALES", "SPECIFICATIONS", "Separation", "accuracy", "ame_table", "auc", "auc_within", "average_marginal_effects", "brier",
    "check_parameters", "compare_with_published", "cross_validate", "cross_validation_table", "describe_sample", "detect_separation",
    "family_of", "fit", "fit_data", "headline", "headline_findings", "holds", "holm", "log_loss", "rolling_origin",
    "outcome_table", "plot_ame", "plot_rolling_origin", "plot_predicted", "plot_prior_sensitivity", "plot_specifications",
    "in_common_units", "other_estimands", "prior_sensitivity", "prior_table", "published_table",
    "robustness_headline", "specification_curve", "stability", "stability_headline",
    "published_findings", "published_summary", "replicate_published", "robustness_table", "scores",
    "source_line", "specification_effects", "specifications_for", "subset_terms", "target_text", "targets",
]
