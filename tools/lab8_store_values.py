"""Compute the stored values of Lab 8's public checks (``ganlab/checks/lab8.py``: VGAN_STORED, VD_STORED,
RNN_STORED) from the solution cells of ``solutions/lab8_video/lab8_video.ipynb``, and write them into that file
(the ``NAME: dict = {...}`` lines). Run after changing a public network check or a reference cell:

    python3 -m tools.lab8_store_values
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from ganlab.checks import lab8
from ganlab.grading.standins_lab5 import fill_by_order
from ganlab.grading.standins_lab8 import fill_by_kind
from ganlab.video import FrameGenerator

NOTEBOOK = Path(__file__).resolve().parents[1] / "solutions/lab8_video/lab8_video.ipynb"


def reference_namespace() -> dict:
    """The notebook's solution cells run in the names its setup cell provides."""
    ns: dict = {"math": math, "torch": torch, "nn": nn, "F": F, "FrameGenerator": FrameGenerator}
    for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            exec(compile("".join(cell["source"]), "lab8_solution", "exec"), ns)
    return ns


def rounded(t) -> list:
    return [float(f"{v:.7g}") for v in t.detach().double().flatten().tolist()]


def vgan(ns) -> dict:
    torch.manual_seed(0)
    net = ns["VGANGenerator"](latent_dim=3, channels=2, ngf=2, size=32)
    z = lab8.vgan_z()
    fill_by_kind(net, 7, z)
    net.train()
    with torch.no_grad():
        h = net.foreground_trunk(z.view(2, 3, 1, 1, 1))
        fg = torch.tanh(net.foreground_head(h))
        logits = net.mask_head(h)
        bg = net.background(z.view(2, 3, 1, 1))
    return {"foreground": rounded(fg.mean((3, 4))), "background": rounded(bg.mean((2, 3))),
            "mask_logits": rounded(logits.mean((3, 4))), "mask_tanh": rounded(torch.tanh(logits).mean((3, 4)))}


def video_d(ns) -> dict:
    torch.manual_seed(0)
    net = ns["VideoDiscriminator"](channels=2, ndf=3, n_layers=2)
    x = lab8.uniform(91, 2, 2, 11, 16, 16)
    fill_by_order(net, 13, x)
    out = {}
    for mode in ("eval", "train"):
        getattr(net, mode)()
        with torch.no_grad():
            out[mode] = rounded(net(x))
    return out


def rnn(ns) -> dict:
    torch.manual_seed(0)
    net = ns["MotionRNN"](noise_dim=4, motion_dim=3)
    eps, h0 = lab8.uniform(101, 2, 3, 4), lab8.uniform(102, 2, 3)
    fill_by_order(net, 17, eps, h0)
    cell = net.cell
    with torch.no_grad():
        right = net(eps, h0)
        no_rec = torch.stack([cell(eps[:, t], h0) for t in range(3)], 1)
        h, same = h0, []
        for _ in range(3):
            h = cell(eps[:, 0], h)
            same.append(h)
        shifted = torch.cat([h0[:, None], right[:, :2]], 1)
    return {"right": rounded(right), "no_recurrence": rounded(no_rec), "same_noise": rounded(torch.stack(same, 1)),
            "shifted": rounded(shifted)}


def main() -> None:
    ns = reference_namespace()
    path = Path(lab8.__file__)
    text = path.read_text(encoding="utf-8")
    for name, values in (("VGAN_STORED", vgan(ns)), ("VD_STORED", video_d(ns)), ("RNN_STORED", rnn(ns))):
        body = ",\n".join(textwrap.fill(f'    "{k}": {v}', 118, subsequent_indent=" " * 8, break_long_words=False)
                           for k, v in values.items())
        text, n = re.subn(rf"^{name}: dict = \{{.*?^\}}$|^{name}: dict = \{{\}}$", f"{name}: dict = {{\n{body},\n}}",
                          text, flags=re.MULTILINE | re.DOTALL)
        assert n == 1, name
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
