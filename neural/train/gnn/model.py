"""Graph policy for job shop: a directional graph isomorphism network over the disjunctive graph.

One state is a graph of N operations with `in_dim` features each and two directed edge sets:
job arcs (operation -> its job successor) and machine arcs (operation -> the next operation on
its machine, in the partial or complete schedule). Each layer aggregates, separately, the
embeddings of the predecessors and of the successors along each arc type (four sums, as L2S's
forward and backward GINs, with the arc types kept apart), and updates every node with
h + MLP([h, sums]) (GIN's sum aggregation, residual). The graph embedding is the mean of the
nodes. The network scores C candidate pairs (u, v): the dispatching policy passes (o, o) for
every operation it may schedule next, the improvement policy passes (moved operation,
operation at the target position) for every move; score = MLP([h_u, h_v, g]).

Edges come as [2, E] int64 (row 0: source, row 1: target), pairs as [C, 2] int64. Empty edge
sets are not allowed by the export (the Rust side passes a self-loop 0 -> 0 instead, in training
data and at inference alike).

Training runs on batches of graphs concatenated into one (node indices offset, `graph` gives each
node its graph); the exported module is the one-graph form (`OneGraph`), the same parameters.
"""

from __future__ import annotations

import torch
from torch import nn


def mlp(i: int, h: int, o: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(i, h), nn.ReLU(), nn.Linear(h, o))


class GnnPolicy(nn.Module):
    def __init__(self, in_dim: int = 5, d: int = 64, layers: int = 3) -> None:
        super().__init__()
        self.config = dict(in_dim=in_dim, d=d, layers=layers)
        self.embed = nn.Linear(in_dim, d)
        self.layers = nn.ModuleList([mlp(5 * d, 2 * d, d) for _ in range(layers)])
        self.norms = nn.ModuleList([nn.LayerNorm(d) for _ in range(layers)])
        self.head = mlp(3 * d, 2 * d, 1)

    def encode(self, x: torch.Tensor, job: torch.Tensor, mach: torch.Tensor) -> torch.Tensor:
        h = self.embed(x)
        for layer, norm in zip(self.layers, self.norms):
            z = torch.zeros_like(h)
            parts = [h]
            for e in (job, mach):
                parts.append(z.index_add(0, e[1], h.index_select(0, e[0])))
                parts.append(z.index_add(0, e[0], h.index_select(0, e[1])))
            h = norm(h + layer(torch.cat(parts, dim=-1)))
        return h

    def score(self, h: torch.Tensor, g_per_pair: torch.Tensor, pairs: torch.Tensor) -> torch.Tensor:
        hu = h.index_select(0, pairs[:, 0])
        hv = h.index_select(0, pairs[:, 1])
        return self.head(torch.cat([hu, hv, g_per_pair], dim=-1)).squeeze(-1)

    def forward_batch(
        self,
        x: torch.Tensor,
        job: torch.Tensor,
        mach: torch.Tensor,
        pairs: torch.Tensor,
        graph: torch.Tensor,
        graphs: int,
    ) -> torch.Tensor:
        """Scores [C] of the pairs of a batch of graphs concatenated; `graph` [N] maps nodes to graphs."""
        h = self.encode(x, job, mach)
        sums = torch.zeros(graphs, h.shape[1], dtype=h.dtype).index_add(0, graph, h)
        counts = torch.zeros(graphs, dtype=h.dtype).index_add(0, graph, torch.ones_like(graph, dtype=h.dtype))
        g = sums / counts.clamp(min=1.0).unsqueeze(-1)
        return self.score(h, g.index_select(0, graph.index_select(0, pairs[:, 0])), pairs)


class OneGraph(nn.Module):
    """The exported form: one graph, mean pooling over all its nodes."""

    def __init__(self, policy: GnnPolicy) -> None:
        super().__init__()
        self.policy = policy

    def forward(self, x: torch.Tensor, job: torch.Tensor, mach: torch.Tensor, pairs: torch.Tensor) -> torch.Tensor:
        h = self.policy.encode(x, job, mach)
        g = h.mean(dim=0, keepdim=True).expand(pairs.shape[0], -1)
        return self.policy.score(h, g, pairs)


def build(config: dict) -> GnnPolicy:
    return GnnPolicy(**config)
