"""Near-duplicate documents: the same wire story on two sites, a statement reposted with a new
header.

`signature(text)` is a MinHash (datasketch, 128 permutations, fixed seed) of the word 5-shingles
of the normalised text, serialised as 1 version byte + 128 little-endian uint32 (513 bytes).
`NearDuplicateIndex` finds stored signatures whose estimated Jaccard similarity is at least 0.8
(MinHashLSH). Texts too short to have a single shingle have an empty signature that matches
nothing, so captionless media posts are never each other's duplicates.
"""

from __future__ import annotations

import re
import struct
import unicodedata

import numpy as np
from datasketch import MinHash, MinHashLSH

from kwatch.errors import IngestError

NUM_PERM = 128
SEED = 1
#: datasketch 2 hashing scheme; 32-bit values are what makes the signature 4 bytes a permutation.
SCHEME = "affine32"
SHINGLE_WORDS = 5
THRESHOLD = 0.8
_VERSION = 1
_HEADER = struct.Struct("<B")
_EMPTY_HASH = np.uint32(2**32 - 1)  # datasketch's value for "no shingle seen"
_WORD = re.compile(r"\w+")


def normalise(text: str) -> list[str]:
    """Words, case- and width-folded, punctuation dropped: what the shingles are made of."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str) -> set[str]:
    words = normalise(text)
    if len(words) < SHINGLE_WORDS:
        return set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> bytes:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    values: bytes = minhash.hashvalues.astype("<u4").tobytes()
    return _HEADER.pack(_VERSION) + values


def from_signature(sig: bytes) -> MinHash:
    if len(sig) != 1 + 4 * NUM_PERM or sig[0] != _VERSION:
        raise IngestError(f"not a kwatch near-duplicate signature ({len(sig)} bytes)", hint="re-ingest the document")
    values = np.frombuffer(sig, dtype="<u4", offset=1).astype(np.uint32)
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return float(from_signature(a).jaccard(from_signature(b)))


def is_empty(sig: bytes) -> bool:
    return bool(np.all(np.frombuffer(sig, dtype="<u4", offset=1) == _EMPTY_HASH))


class NearDuplicateIndex:
    """Signatures by document id; `query` returns those at estimated Jaccard ≥ 0.8, best first."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._minhashes: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._minhashes)

    def add(self, doc_id: str, sig: bytes) -> None:
        """Index a document; adding an id again or an empty signature does nothing."""
        if doc_id in self._minhashes or is_empty(sig):
            return
        minhash = from_signature(sig)
        self._minhashes[doc_id] = minhash
        self._lsh.insert(doc_id, minhash)

    def query(self, sig: bytes) -> list[tuple[str, float]]:
        if is_empty(sig):
            return []
        minhash = from_signature(sig)
        scored = [(doc_id, float(minhash.jaccard(self._minhashes[doc_id]))) for doc_id in self._lsh.query(minhash)]
        hits = [(doc_id, score) for doc_id, score in scored if score >= self.threshold]
        return sorted(hits, key=lambda pair: (-pair[1], pair[0]))
