"""A Merkle tree over a sequence of records, built in one pass with memory that stays flat.

The convention (docs/evidence.md; the one of RFC 6962, Certificate Transparency):

- a leaf is ``SHA-256(0x00 || record)``, an inner node ``SHA-256(0x01 || left || right)``;
- the leaves are paired left to right, level by level; the last node of a level with an odd
  number of nodes is carried up to the next level unchanged;
- the root of no leaves is ``SHA-256()`` of nothing.

That tree is the same as folding, from the right, the perfect subtrees that a running stack of
(height, hash) pairs leaves behind, which is what :class:`RootBuilder` does: at most one hash per
height is held, so a million leaves need some forty hashes of memory. Every aligned block of
``2**k`` leaves is a perfect subtree, so the roots of blocks (:data:`BLOCK` leaves each) are the
nodes of one level of the whole tree: an inclusion path is the path inside the leaf's block
followed by the block's path among the block roots.

No Flask here: the verifier in docs/ and the test's independent implementation need nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: leaves per stored block root (a perfect subtree of height 10)
BLOCK = 1024
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(record: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + record).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class RootBuilder:
    """Feed leaf hashes in order; :meth:`root` gives the tree's root, :meth:`block_roots` the
    root of every block of :data:`BLOCK` leaves (the last one possibly partial)."""

    def __init__(self) -> None:
        self.count = 0
        self._stack: list[tuple[int, bytes]] = []
        self._block = _Stack()
        self.blocks: list[bytes] = []

    def add(self, leaf: bytes) -> None:
        self.count += 1
        self._block.push(leaf)
        if self._block.count == BLOCK:
            self.blocks.append(self._block.fold())
            self._block = _Stack()

    def block_roots(self) -> list[bytes]:
        return [*self.blocks, self._block.fold()] if self._block.count else list(self.blocks)

    def root(self) -> bytes:
        return root_of(self.block_roots())


class _Stack:
    """Perfect subtrees of decreasing height: merging equal heights keeps one hash per height."""

    def __init__(self) -> None:
        self.count = 0
        self.nodes: list[tuple[int, bytes]] = []

    def push(self, leaf: bytes) -> None:
        self.count += 1
        height, node = 0, leaf
        while self.nodes and self.nodes[-1][0] == height:
            node = node_hash(self.nodes.pop()[1], node)
            height += 1
        self.nodes.append((height, node))

    def fold(self) -> bytes:
        node = self.nodes[-1][1]
        for _, left in reversed(self.nodes[:-1]):
            node = node_hash(left, node)
        return node


def root_of(leaves: Iterable[bytes]) -> bytes:
    """The root over these nodes taken as the leaves of a tree (already hashed)."""
    stack = _Stack()
    for leaf in leaves:
        stack.push(leaf)
    return stack.fold() if stack.count else EMPTY_ROOT


@dataclass(frozen=True)
class Step:
    """One step up an inclusion path: the sibling's hash and on which side it stands."""

    side: str  # "left" or "right"
    sibling: bytes


def path_in(nodes: Sequence[bytes], index: int) -> list[Step]:
    """The inclusion path of ``nodes[index]`` in the tree over ``nodes``, bottom up."""
    steps: list[Step] = []
    level = list(nodes)
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            steps.append(Step("left" if sibling < index else "right", level[sibling]))
        level = [
            node_hash(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)
        ]
        index //= 2
    return steps


def inclusion_path(block_leaves: Sequence[bytes], blocks: Sequence[bytes], position: int) -> list[Step]:
    """The path of leaf ``position`` of the whole tree, from its block's leaves and the block roots."""
    return path_in(block_leaves, position % BLOCK) + path_in(blocks, position // BLOCK)


def climb(leaf: bytes, steps: Iterable[Step]) -> bytes:
    """The root a leaf and its path lead to: it verifies when that is the published root."""
    node = leaf
    for step in steps:
        node = node_hash(step.sibling, node) if step.side == "left" else node_hash(node, step.sibling)
    return node
