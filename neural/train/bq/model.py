"""BQ-NCO style policy network: a transformer encoder over the remaining sub-problem.

The input of one state is a set of N nodes with `in_dim` features each. By convention node 0 is
the origin (the last node visited) and node 1 the destination (TSP: the first node of the tour;
CVRP: the depot); nodes 2.. are the remaining ones, in any order. There is no positional
encoding: the network is equivariant to permutations of nodes 2.., and two learned marker
vectors tell it which node is the origin and which the destination. It returns `scores`
[B, N, heads_out]: one logit per node and output head (TSP: one head, "go to this node next";
CVRP: two, "go directly" and "go via the depot"). The caller masks nodes 0 and 1 and any
infeasible choice; the network does not (so the ONNX graph holds no masking logic that Rust
would have to mirror).

Two optional inductive biases (config `geo`, off in the first models): the node features get
the offsets and distances to the origin and to the destination, and every attention head adds
`-w_h * sqrt(N) * |x_i - x_j|` to its logits (w_h >= 0 learned per head and layer; sqrt(N)
makes the distances those of a unit-density instance). Both are computed inside the network
from the coordinates, so the ONNX model takes the same input as before and the Rust encoder
does not change. They spare the network from learning geometry through attention alone, which
matters when training is short (CPU).

Attention is written out by hand (no `nn.MultiheadAttention` / `nn.TransformerEncoder`), which
keeps the ONNX export free of fused kernels and of shapes baked in at export time.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class EncoderLayer(nn.Module):
    """Pre-norm transformer layer: x + MHA(LN(x)), then x + FF(LN(x))."""

    def __init__(self, d: int, heads: int, ff: int, dist_bias: bool = False) -> None:
        super().__init__()
        if d % heads != 0:
            raise ValueError(f"d={d} is not a multiple of heads={heads}")
        # Per-head distance slopes, softplus(w) from ~0.02 (global heads) to ~1.3 (local ones).
        self.w = nn.Parameter(torch.linspace(-4.0, 1.0, heads)) if dist_bias else None
        self.heads = heads
        self.dh = d // heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, ff), nn.ReLU(), nn.Linear(ff, d))

    def forward(self, x: torch.Tensor, dist: torch.Tensor | None = None) -> torch.Tensor:
        """x [B, N, d]; dist [B, 1, N, N] unit-density distances (used with `dist_bias`)."""
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
        q = q.reshape(b, n, self.heads, self.dh).transpose(1, 2)
        k = k.reshape(b, n, self.heads, self.dh).transpose(1, 2)
        v = v.reshape(b, n, self.heads, self.dh).transpose(1, 2)
        logits = q @ k.transpose(-1, -2) * (1.0 / math.sqrt(self.dh))
        if self.w is not None and dist is not None:
            logits = logits - nn.functional.softplus(self.w)[None, :, None, None] * dist
        att = torch.softmax(logits, dim=-1)
        a = (att @ v).transpose(1, 2).reshape(b, n, d)
        x = x + self.proj(a)
        return x + self.ff(self.ln2(x))


class BQPolicy(nn.Module):
    """The BQ policy: embed, mark origin/destination, encode, score every node."""

    def __init__(
        self,
        in_dim: int = 2,
        heads_out: int = 1,
        d: int = 128,
        layers: int = 6,
        heads: int = 8,
        ff: int = 512,
        geo: bool = False,
    ) -> None:
        super().__init__()
        self.config = dict(in_dim=in_dim, heads_out=heads_out, d=d, layers=layers, heads=heads, ff=ff)
        if geo:
            self.config["geo"] = True
        self.geo = geo
        self.embed = nn.Linear(in_dim + (GEO_FEATURES if geo else 0), d)
        self.markers = nn.Parameter(torch.randn(2, d) * 0.5)
        self.layers = nn.ModuleList(EncoderLayer(d, heads, ff, dist_bias=geo) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, heads_out)

    def forward(self, nodes: torch.Tensor) -> torch.Tensor:
        dist = None
        if self.geo:
            nodes, dist = geometry(nodes)
        h = self.embed(nodes)
        h = torch.cat([h[:, :2] + self.markers, h[:, 2:]], dim=1)
        for layer in self.layers:
            h = layer(h, dist)
        return self.head(self.ln(h))


GEO_FEATURES = 6


def geometry(nodes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The `geo` inputs of a state [B, N, F] whose first two features are (normalised)
    coordinates: the features extended by the offsets to the origin (node 0) and to the
    destination (node 1) and log(1 + sqrt(N) * distance) to each, and the pairwise distances
    [B, 1, N, N] scaled by sqrt(N). N is taken from the data (not the traced shape), so the
    ONNX graph keeps its dynamic node axis."""
    xy = nodes[..., :2]
    scale = torch.sqrt(torch.ones_like(xy[..., :1]).sum(dim=1, keepdim=True))  # [B, 1, 1]
    diff = xy[:, :, None, :] - xy[:, None, :, :]  # [B, N, N, 2]: x_i - x_j
    dist = torch.sqrt((diff * diff).sum(-1)) * scale  # inputs need no gradient: sqrt(0) is fine
    # Columns 0 and 1 of the pairwise terms are the offsets and distances to origin and destination.
    feats = [nodes, diff[:, :, 0], diff[:, :, 1], torch.log1p(dist[:, :, :1]), torch.log1p(dist[:, :, 1:2])]
    return torch.cat(feats, dim=-1), dist[:, None]


def normalise(xy: torch.Tensor) -> torch.Tensor:
    """Per-state normalisation of coordinates [B, N, 2]: shift the bounding box's low corner to
    the origin and divide both axes by the larger side (aspect ratio kept). The Rust encoder
    does exactly the same (neural/src/tsp.rs)."""
    lo = xy.min(dim=1, keepdim=True).values
    hi = xy.max(dim=1, keepdim=True).values
    span = (hi - lo).max(dim=-1, keepdim=True).values.clamp_min(1e-9)
    return (xy - lo) / span


def unit_box(coords: torch.Tensor) -> torch.Tensor:
    """Per-instance scaling of coordinates [M, n, 2] into [0, 1]^2 (one scale for both axes),
    so that the square symmetries of the augmentation map an instance onto the same box."""
    lo = coords.amin(dim=(1, 2), keepdim=True)
    span = (coords.amax(dim=(1, 2), keepdim=True) - lo).clamp_min(1e-9)
    return (coords - lo) / span


def build(config: dict) -> BQPolicy:
    return BQPolicy(**config)
