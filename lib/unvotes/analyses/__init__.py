"""Stage 3, the analyses: descriptive measures computed from the tables, each answering one question.

* How states align: :mod:`.alignment` (agreement, ideal points by window, validation against Voeten),
  :mod:`.dynamic_alignment` (ideal points per session on a bridged scale, Ukraine against general alignment).
* How a vote split and who moved: :mod:`.splits` (one vote's split), :mod:`.shifts` (changes between votes),
  :mod:`.movers` (who moved, and who followed whom), :mod:`.trends` (shares over time), :mod:`.absence`
  (absences sorted into present-not-voting, away and without a vote right).
* Groups and states: :mod:`.regions` (inside the African Group), :mod:`.profile` (one state's record),
  :mod:`.overview` (what the data hold).
* What the press says: :mod:`.claims` (the news reports' claims checked against the votes).
* :mod:`.plotting`: the figures' shared style and source lines.

Models of the votes are :mod:`unvotes.models`; what is published, :mod:`unvotes.site`.
"""
