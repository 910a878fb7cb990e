"""The ecosystem survey: institutions report their digital capabilities and partners (docs/survey.md).

One small module per concern: :mod:`.model` (the records), :mod:`.links` (respondents' links),
:mod:`.reconcile`, :mod:`.coverage`, :mod:`.maturity`, :mod:`.review`, :mod:`.publish`, and :mod:`.cli`
(``ecograph campaign``). The records live in the store, behind ``store.survey`` (:mod:`.store`).

This package's ``__init__`` imports nothing, so the stores can import :mod:`.model` without a circle.
"""
