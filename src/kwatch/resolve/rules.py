"""The tuning of resolution, in one place, and the version it makes."""

from __future__ import annotations

import hashlib
from importlib import resources

from kwatch.records import METHOD_KIND_OF

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
#: A claim may be released on the attack's day or up to this many days later.
CLAIM_DAYS = 7
#: Two clusters do not join when the features of a pair across them add less than this to the
#: log-odds (evidence against one event, not the mere lack of evidence for it).
VETO = -1.5

PRECISION_RANK = {"site": 0, "town": 1, "district": 2, "province": 3, "country": 4}
#: Coordinates this close (km) are one place, by the coarser precision of the two.
NEAR_KM = {"site": 1.0, "town": 25.0, "district": 25.0}
#: Sites this far apart (km) with different names are different places.
FAR_KM = 5.0
#: Methods a report may name for the same attack: each method's general kind (records.METHOD_KIND_OF).
METHOD_FAMILY = {**{general: general for general in METHOD_KIND_OF.values()}, **METHOD_KIND_OF}
#: Kinds of site (pipeline sites: canonical English kinds) that one place may be called by
#: different reports: a Shia shrine is a mosque to some, a concert hall a centre to others.
SITE_FAMILY = {"husseiniya": "mosque", "shrine": "mosque", "consulate": "embassy", "centre": "hall"}
#: Kinds of site that name a part of a place or its surroundings, not a building of its own
#: ("the airport's gate", "the road to the ministry"): they say nothing against another kind.
SITE_SURROUNDS = frozenset({"area", "road", "square", "gate", "park", "bridge", "checkpoint", "station", "compound", "office"})
#: The parent organisation: a branch named by another source (ISKP) is the more specific actor.
GENERIC_ACTORS = frozenset({"IS"})
TYPE_ORDER = ("attack", "plot", "raid", "arrest", "propaganda")
#: How the resolved record's killed/injured are chosen (resolve/fields.py); each record carries
#: it in `detail.figure_rule`. The choice never depends on when a report was published.
FIGURE_RULE = (
    "best: the figure the most independent sources give (the reports of one outlet count once); "
    "on a tie, the figure best backed by its report's text: the report places the event where the "
    "others do, then dates it in its text rather than by its publication, then breaks the figure "
    "down by victims; on a further tie, the median of the tied figures (the lower middle one); "
    "low/high: the smallest/largest reported; figures the group claimed are kept apart "
    "(killed_claimed, injured_claimed: the same rule over the claims)"
)
#: The resolution rules' version, written into each resolve run (`runs.pipeline_version`): bump
#: the name when the rules change; the hash follows the tuning constants by itself.
# v2: one release = sightings sharing any release key; date_basis.
# v3: a fitted pair model decides (data/resolution_model.json); a release lists its sightings;
# blocking by keys (day or publication day, period, rare words, document, release key), so
# undated events become candidates; the index keys are stored for incremental resolution.
RESOLVE_RULES = "resolve.v3"
#: The fitted pair model is part of the rules: a refit changes the version.
_MODEL_BYTES = hashlib.sha256(resources.files("kwatch").joinpath("data/resolution_model.json").read_bytes()).hexdigest()
#: So is the table that reads names in every script (resolve/names.py): blocking keys follow it.
_SCRIPTS_BYTES = hashlib.sha256(resources.files("kwatch").joinpath("data/scripts.yaml").read_bytes()).hexdigest()
TUNING = (
    WINDOW_DAYS, COARSE_LIMIT, CONTENT_LIMIT, CONTENT_MIN_LETTERS, VETO, CLAIM_DAYS, _MODEL_BYTES, _SCRIPTS_BYTES,
    sorted(NEAR_KM.items()), FAR_KM, sorted(METHOD_FAMILY.items()), sorted(SITE_FAMILY.items()), sorted(SITE_SURROUNDS), sorted(GENERIC_ACTORS), FIGURE_RULE,
)
RESOLVE_VERSION = f"{RESOLVE_RULES}+{hashlib.sha256(repr(TUNING).encode()).hexdigest()[:12]}"

