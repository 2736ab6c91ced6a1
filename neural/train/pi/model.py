"""The learned ascent: the heatmap's gated graph network (`heat.model.Heatmap`: the same sparse
16-nearest graph, features, layers and head) with its head on the node embeddings instead of the
edge embeddings: one value per node, the Held-Karp penalty `pi_i / s` that quotient's
subgradient ascent reaches (`s`: the graph's distance scale). `W(pi)` is unchanged by adding a
constant to every penalty, so the loss (and the Rust side) centres the outputs per graph.
"""

from __future__ import annotations

import torch

from heat.model import Heatmap


class PiNet(Heatmap):
    def forward(self, x: torch.Tensor, edges: torch.Tensor, ex: torch.Tensor) -> torch.Tensor:
        src, dst = edges[0], edges[1]
        h, e = self.embed_h(x), self.embed_e(ex)
        for layer in self.layers:
            h, e = layer(h, e, src, dst)
        return self.head(h).squeeze(-1)


def build(config: dict) -> PiNet:
    return PiNet(**config)
