"""The learned ascent: the heatmap's gated graph network (`heat.model`) over the same sparse
16-nearest graph and features, with a node head: one value per node, the Held-Karp penalty
`pi_i / s` that quotient's subgradient ascent reaches (`s`: the graph's distance scale).
`W(pi)` is unchanged by adding a constant to every penalty, so the loss (and the Rust side)
centres the outputs per graph.
"""

from __future__ import annotations

import torch
from torch import nn

from heat.model import GatedLayer


class PiNet(nn.Module):
    def __init__(self, node_dim: int = 2, edge_dim: int = 5, d: int = 32, layers: int = 6) -> None:
        super().__init__()
        self.config = dict(node_dim=node_dim, edge_dim=edge_dim, d=d, layers=layers)
        self.embed_h = nn.Linear(node_dim, d)
        self.embed_e = nn.Linear(edge_dim, d)
        self.layers = nn.ModuleList([GatedLayer(d) for _ in range(layers)])
        self.head = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, 1))

    def forward(self, x: torch.Tensor, edges: torch.Tensor, ex: torch.Tensor) -> torch.Tensor:
        src, dst = edges[0], edges[1]
        h, e = self.embed_h(x), self.embed_e(ex)
        for layer in self.layers:
            h, e = layer(h, e, src, dst)
        return self.head(h).squeeze(-1)


def build(config: dict) -> PiNet:
    return PiNet(**config)
