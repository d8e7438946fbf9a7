"""The tuning of resolution, in one place, and the version it makes."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


#: Day dates further apart than this are never the same event (reports give "Friday", "last
#: night", the publication day).
WINDOW_DAYS = 3
#: A month or year date is compared with every event of its period only up to this many (the
#: events of one type filed under the period, every country); past it, with the same province's.
COARSE_LIMIT = 200
#: A word shared by at most this many members (of one type) brings an undated member together
#: with the others that use it; a commoner word brings nothing (blocking's content keys).
CONTENT_LIMIT = 50
#: Words shorter than this (in letters) are not content words; numbers always are.
CONTENT_MIN_LETTERS = 4
#: A pair with this score merges without further question ...
STRONG = 4.0
#: ... and with this score when each event is the other's only candidate.
WEAK = 1.5
#: A claim may be released on the attack's day or up to this many days later.
CLAIM_DAYS = 7

PRECISION_RANK = {"site": 0, "town": 1, "district": 2, "province": 3, "country": 4}
#: Coordinates this close (km) are one place, by the coarser precision of the two.
NEAR_KM = {"site": 1.0, "town": 25.0, "district": 25.0}
#: Sites this far apart (km) with different names are different places.
FAR_KM = 5.0
#: Methods a report may name for the same attack.
METHOD_FAMILY = {"suicide_bombing": "bombing", "bombing": "bombing"}
#: The parent organisation: a branch named by another source (ISKP) is the more specific actor.
GENERIC_ACTORS = frozenset({"IS"})
TYPE_ORDER = ("attack", "plot", "raid", "arrest", "propaganda")
FIGURE_RULE = (
    "best: the figure most reports give; on a tie, the most recently published report's; "
    "low/high: the smallest/largest reported; claimed figures are kept apart"
)
#: The resolution rules' version, written into each resolve run (`runs.pipeline_version`): bump
#: the name when the rules change; the hash follows the tuning constants by itself.
# v2: one release = sightings sharing any release key; date_basis.
# v3: blocking by keys (day or publication day, period, rare words, document, release key), so
# undated events become candidates; the index keys are stored for incremental resolution.
RESOLVE_RULES = "resolve.v3"
TUNING = (WINDOW_DAYS, COARSE_LIMIT, CONTENT_LIMIT, CONTENT_MIN_LETTERS, STRONG, WEAK, CLAIM_DAYS, sorted(NEAR_KM.items()), FAR_KM, sorted(METHOD_FAMILY.items()), sorted(GENERIC_ACTORS), FIGURE_RULE)
RESOLVE_VERSION = f"{RESOLVE_RULES}+{hashlib.sha256(repr(TUNING).encode()).hexdigest()[:12]}"

