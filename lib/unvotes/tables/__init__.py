"""Stage 2, the tables: the raw sources turned into tidy, validated tables of votes, states and covariates.

* Building the vote tables: :mod:`.build` (reads every source, reconciles, chooses, validates, writes
  ``data/processed/``), :mod:`.reconcile` (names and codes to ISO3), :mod:`.published_totals` (the UN's own
  totals, against which every roll call is checked), :mod:`.curated_votes` (press-compiled partial roll calls),
  :mod:`.coverage` (what the tables cover and which gaps are known).
* Who could vote: :mod:`.membership` (UN membership dates), :mod:`.vote_rights` (Article 19 and other losses
  of the vote).
* Which votes are about Ukraine: :mod:`.catalogue` (the curated catalogue, themes, drafts), :mod:`.labels`
  (readable labels), :mod:`.dictionary` (the data dictionary).
* The states' covariates: :mod:`.countries` (one row per state), :mod:`.covariates` (state-level sources),
  :mod:`.dated` (covariates dated to each vote), :mod:`.organisations` (dated memberships of international
  organisations).
* The curated tables themselves: :mod:`.external` (reading them, with their citations checked),
  :mod:`.schemas` (pandera schemas of every curated and processed table), :mod:`.curated_reads` (which curated
  files a run read).

The tables are read through :mod:`unvotes.api`; analyses and models never read raw files.
"""
