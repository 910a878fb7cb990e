"""History and time: every change kept, any region as of any date, what changed, and whether recommendations came true.

- :mod:`ecograph.history.timeline`: the rule saying which ties and actors are in force on a date (the "as of" graph).
- :mod:`ecograph.history.versions`: the dataset versions the stores keep (:mod:`ecograph.stores.history`), listed with
  their changes, and any past version's dataset.
- :mod:`ecograph.history.changes`: what changed in a region between two dates or two versions, in sentences.
- :mod:`ecograph.history.follow_up`: which recommended partnerships were taken up, and the hit rate per region.

This package imports nothing from its modules here, so :mod:`ecograph.analysis` can use the timeline rule without an
import cycle.
"""
