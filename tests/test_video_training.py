"""ganlab.video's given training code for Lab 8: the VGAN step, the two training loops, sampling, the motion
statistics and the content/motion grids.

The networks and the MoCoGAN step under test are the lab's reference cells, read from the solution notebook's
nbgrader solution cells (they are not in ``ganlab``, which ships to students). Tiny widths, seeded, no timing
asserted (the CPU budget runs on a fake clock).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from ganlab.data.video import moving_digits
from ganlab.video import (FrameDiscriminator, FrameGenerator, GlyphMover, InstanceNoise, content_motion_grids,
                          fit_mocogan, fit_vgan, frames_as_images, ink_centroids, motion_statistics, quality_metric,
                          sample_videos, vgan_step)

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "solutions/lab8_video/lab8_video.ipynb"
NEEDED = ("vgan_composite", "VGANGenerator", "VideoDiscriminator", "MotionRNN", "MoCoGANGenerator", "sample_frames",
          "sample_clips", "mocogan_step")


def _sources() -> list[str]:
    """The sources of the notebook's solution cells named in NEEDED."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")
            and c["metadata"]["nbgrader"].get("grade_id") in NEEDED]


@pytest.fixture(scope="module")
def lab():
    ns = {"math": math, "torch": torch, "nn": nn, "F": F, "FrameGenerator": FrameGenerator}
    for source in _sources():
        exec(compile(source, "lab8_cells", "exec"), ns)
    missing = [name for name in NEEDED if name not in ns]
    assert not missing, f"reference cells missing: {missing}"
    return ns


def _params(net):
    return {n: p.detach().clone() for n, p in net.named_parameters()}


def _changed(before, net):
    return {n for n, p in net.named_parameters() if not torch.equal(before[n], p.detach())}


def _vgan(lab, seed=0):
    torch.manual_seed(seed)
    G = lab["VGANGenerator"](latent_dim=8, channels=1, ngf=4, size=32)
    D = lab["VideoDiscriminator"](channels=1, ndf=4, n_layers=3)
    return G, D


def _mocogan(lab, seed=0, num_categories=0):
    torch.manual_seed(seed)
    G = lab["MoCoGANGenerator"](content_dim=6, motion_dim=3, noise_dim=2, num_categories=num_categories, ngf=4)
    return G, FrameDiscriminator(ndf=4), lab["VideoDiscriminator"](channels=1, ndf=4, n_layers=3)


def _clips(n=8, frames=16, seed=0):
    return moving_digits(n, num_frames=frames, num_digits=1, seed=seed)[0]


class _Clock:
    """A fake CPU clock: every call advances it by ``tick`` seconds."""

    def __init__(self, tick=1.0):
        self.now, self.tick = 0.0, tick

    def __call__(self):
        self.now += self.tick
        return self.now


# -- vgan_step --------------------------------------------------------------------------------------------------------

def test_vgan_step_losses_match_a_hand_computation(lab):
    G, D = _vgan(lab)
    x = _clips(4)
    G0, D0 = copy.deepcopy(G), copy.deepcopy(D)
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
    out = vgan_step(G, D, opt_g, opt_d, x, generator=torch.Generator().manual_seed(5))
    assert set(out) == {"loss_d", "loss_g", "penalty", "d_real", "d_fake"}
    assert all(isinstance(v, float) and math.isfinite(v) for v in out.values())

    z = torch.randn(4, 8, generator=torch.Generator().manual_seed(5))
    video, _, _, mask, penalty = G0.parts(z)
    real, fake = D0(x), D0(video)
    bce = F.binary_cross_entropy_with_logits
    want_d = bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake))
    assert out["loss_d"] == pytest.approx(want_d.item(), rel=1e-5)
    assert out["penalty"] == pytest.approx(penalty.item(), rel=1e-5)
    assert out["penalty"] == pytest.approx(0.1 * mask.abs().mean().item(), rel=1e-5)
    assert out["d_real"] == pytest.approx(torch.sigmoid(real).mean().item(), rel=1e-5)
    assert out["d_fake"] == pytest.approx(torch.sigmoid(fake).mean().item(), rel=1e-5)
    # the G loss is judged by the UPDATED D (its parameters after opt_d.step), on the same fake, plus the penalty
    d_after = copy.deepcopy(D).train()
    logits = d_after(video)
    want_g = bce(logits, torch.ones_like(logits)) + penalty
    assert out["loss_g"] == pytest.approx(want_g.item(), rel=1e-5)
    assert G.training and D.training


def test_vgan_step_each_optimizer_moves_only_its_own_net(lab):
    x = _clips(4)
    for frozen in ("G", "D"):
        G, D = _vgan(lab, seed=1)
        g0, d0 = _params(G), _params(D)
        opt_g = torch.optim.SGD(G.parameters(), lr=0.0 if frozen == "G" else 0.1)
        opt_d = torch.optim.SGD(D.parameters(), lr=0.0 if frozen == "D" else 0.1)
        vgan_step(G, D, opt_g, opt_d, x)
        assert bool(_changed(g0, G)) == (frozen != "G")
        assert bool(_changed(d0, D)) == (frozen != "D")


def test_vgan_step_d_loss_sends_no_gradient_to_g(lab):
    """When opt_d steps, G's gradients are still what they were before the step (the fake was detached)."""
    G, D = _vgan(lab, seed=2)
    for p in G.parameters():
        p.grad = torch.full_like(p, 7.0)
    opt_g, opt_d = torch.optim.SGD(G.parameters(), lr=0.01), torch.optim.SGD(D.parameters(), lr=0.01)
    seen = []
    original = opt_d.step

    def recording_step(*args, **kwargs):
        seen.append(all(p.grad is not None and bool((p.grad == 7.0).all()) for p in G.parameters()))
        return original(*args, **kwargs)

    opt_d.step = recording_step
    vgan_step(G, D, opt_g, opt_d, _clips(4))
    assert seen == [True]
    assert any(not bool((p.grad == 7.0).all()) for p in G.parameters())   # then the G step replaced them


def test_vgan_step_learns_to_separate_on_a_fixed_batch(lab):
    """A few D updates on one batch raise D's margin between real and fake (a real bug such as swapped targets
    lowers it)."""
    G, D = _vgan(lab, seed=3)
    x = _clips(4)
    opt_g = torch.optim.SGD(G.parameters(), lr=0.0)
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
    outs = [vgan_step(G, D, opt_g, opt_d, x, generator=torch.Generator().manual_seed(0)) for _ in range(6)]
    assert outs[-1]["loss_d"] < outs[0]["loss_d"]
    assert outs[-1]["d_real"] - outs[-1]["d_fake"] > outs[0]["d_real"] - outs[0]["d_fake"]


# -- the loops -------------------------------------------------------------------------------------------------------

def test_fit_vgan_history_snapshots_and_metric(lab):
    G, D = _vgan(lab, seed=4)
    videos = _clips(8)
    g0, d0 = _params(G), _params(D)
    calls = []

    def metric(step, net):
        calls.append((step, net.training))
        return {"mean": float(sample_videos(net, 2, seed=9).mean())} if step % 2 == 0 else None

    h = fit_vgan(G, D, videos, steps=5, batch_size=4, num_samples=3, snapshot_every=2, metric=metric,
                 metric_every=2, seed=1, progress=False)
    assert h.steps == 5 and not h.stopped_by_budget
    assert set(h.losses) == {"loss_d", "loss_g", "penalty", "d_real", "d_fake"}
    assert all(len(v) == 5 for v in h.losses.values())
    assert h.d_loss == h.losses["loss_d"] and h.g_loss == h.losses["loss_g"]
    assert all(math.isfinite(v) for v in h.d_loss + h.g_loss)
    assert [s for s, _ in h.snapshots] == [0, 2, 4, 5]
    assert all(tuple(v.shape) == (3, 1, 16, 32, 32) for _, v in h.snapshots)
    assert [s for s, _ in calls] == [0, 2, 4, 5]
    assert [s for s, _ in h.logs["mean"]] == [0, 2, 4]
    assert _changed(g0, G) and _changed(d0, D)
    assert G.training and D.training
    assert h.seconds > 0 and h.cpu_seconds >= 0 and h.batch_size == 4
    assert h.clips_per_second == pytest.approx(5 * 4 / h.seconds)
    # fixed latents: the last snapshot is what the trained G makes from the snapshot seed in eval mode
    assert torch.allclose(h.snapshots[-1][1], sample_videos(G, 3, seed=2))
    assert not torch.allclose(h.snapshots[0][1], h.snapshots[-1][1])
    assert set(h.optimizers) == {"G", "D"}
    assert all(isinstance(o, torch.optim.Adam) and o.defaults["lr"] == 2e-4 and o.defaults["betas"] == (0.5, 0.999)
               for o in h.optimizers.values())
    assert {id(p) for group in h.optimizers["G"].param_groups for p in group["params"]} == \
        {id(p) for p in G.parameters()}


def test_fit_vgan_continues_with_the_returned_optimizers(lab):
    G, D = _vgan(lab, seed=5)
    videos = _clips(8)
    h = fit_vgan(G, D, videos, steps=2, batch_size=4, num_samples=0, progress=False)
    again = fit_vgan(G, D, videos, steps=1, batch_size=4, num_samples=0, progress=False,
                     opt_g=h.optimizers["G"], opt_d=h.optimizers["D"])
    assert again.optimizers["G"] is h.optimizers["G"]
    state = h.optimizers["D"].state[next(iter(D.parameters()))]
    assert int(state["step"]) == 3
    assert h.snapshots == [] and again.steps == 1


def test_cpu_budget_stops_on_the_step_clock(lab):
    """With a fake clock advancing 1 s per reading (two readings per step), a budget of 2.5 s stops after 3 steps."""
    G, D = _vgan(lab, seed=6)
    h = fit_vgan(G, D, _clips(8), steps=50, batch_size=4, num_samples=2, snapshot_every=100, cpu_budget=2.5,
                 progress=False, clock=_Clock())
    assert h.steps == 3 and h.stopped_by_budget and h.cpu_seconds == pytest.approx(3.0)
    assert [s for s, _ in h.snapshots] == [0, 3]       # the state at the stop is kept
    assert len(h.d_loss) == 3
    free = fit_vgan(G, D, _clips(8), steps=4, batch_size=4, num_samples=0, cpu_budget=100, progress=False,
                    clock=_Clock())
    assert free.steps == 4 and not free.stopped_by_budget
    with pytest.raises(ValueError):
        fit_vgan(G, D, _clips(8), steps=1, batch_size=4, cpu_budget=0, progress=False)


def test_fit_mocogan_runs_the_injected_step(lab):
    G, D_i, D_v = _mocogan(lab, seed=7)
    videos = _clips(8)
    before = [_params(n) for n in (G, D_i, D_v)]
    seen = []

    def step(*args):
        seen.append(args[-1])
        return lab["mocogan_step"](*args)

    h = fit_mocogan(step, G, D_i, D_v, videos, steps=3, batch_size=4, clip_length=14, num_samples=2, seed=3,
                    progress=False)
    assert seen == [14, 14, 14]
    assert set(h.losses) == {"loss_d_image", "loss_d_video", "loss_g_image", "loss_g_video"}
    assert h.d_loss == pytest.approx([a + b for a, b in zip(h.losses["loss_d_image"], h.losses["loss_d_video"])])
    assert h.g_loss == pytest.approx([a + b for a, b in zip(h.losses["loss_g_image"], h.losses["loss_g_video"])])
    assert all(_changed(b, n) for b, n in zip(before, (G, D_i, D_v)))
    assert set(h.optimizers) == {"G", "D_image", "D_video"}
    assert [s for s, _ in h.snapshots] == [0, 1, 2, 3]
    assert tuple(h.snapshots[0][1].shape) == (2, 1, 16, 32, 32)
    # the same seeded z_C, eps and h0 at every snapshot, through the current networks
    assert torch.allclose(h.snapshots[-1][1], sample_videos(G, 2, num_frames=16, seed=4))
    assert G.training and D_i.training and D_v.training


def test_instance_noise_in_training_only_and_in_fit_mocogan(lab):
    seen = []

    class Probe(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.ones(()))

        def forward(self, x):
            seen.append(x.detach().clone())
            return self.w * x.flatten(1).mean(1)

    probe = Probe()
    noisy = InstanceNoise(probe, 0.5)
    assert list(noisy.parameters()) == list(probe.parameters())
    x = torch.zeros(4000, 1, 2, 2)
    torch.manual_seed(0)
    noisy.train()(x)
    assert seen[-1].std().item() == pytest.approx(0.5, rel=0.05)
    noisy.eval()(x)
    assert torch.equal(seen[-1], x)
    with pytest.raises(ValueError):
        InstanceNoise(probe, -0.1)
    # fit_mocogan hands the step both discriminators wrapped, each optimizer over the inner net's parameters
    G, D_i, D_v = _mocogan(lab, seed=11)
    handed = []

    def step(G_, d_i, d_v, *rest):
        handed.append((d_i, d_v))
        return lab["mocogan_step"](G_, d_i, d_v, *rest)

    h = fit_mocogan(step, G, D_i, D_v, _clips(8), steps=1, batch_size=4, num_samples=0, instance_noise=0.1,
                    progress=False)
    (d_i, d_v), = handed
    assert isinstance(d_i, InstanceNoise) and d_i.net is D_i and d_v.net is D_v and d_i.sigma == 0.1
    assert {id(p) for group in h.optimizers["D_video"].param_groups for p in group["params"]} == \
        {id(p) for p in D_v.parameters()}


def _expected_average(states, decay):
    """The EMA of a list of state dicts (the first copied, then avg <- decay * avg + (1 - decay) * state), float
    entries only (batch norm's integer step counter is not averaged)."""
    average = {k: v.clone() for k, v in states[0].items() if v.is_floating_point()}
    for state in states[1:]:
        for k in average:
            average[k] = decay * average[k] + (1 - decay) * state[k]
    return average


@pytest.mark.parametrize("model", ["vgan", "mocogan"])
def test_ema_decay_keeps_a_weight_average_and_samples_it(lab, model):
    """ema_decay: the average follows the EMA formula over the generator's weights AND batch-norm buffers after
    every step, the live generator trains exactly as without it, and the snapshots and the metric sample the
    average; without ema_decay there is none."""
    decay, seen, measured = 0.6, [], []

    def metric(step, net):
        measured.append(net)
        return {"one": 1.0}

    def run(ema_decay):
        if model == "vgan":
            G, D = _vgan(lab, seed=12)

            def step(*args):
                out = vgan_step(*args)
                seen.append(copy.deepcopy(G.state_dict()))
                return out
            return G, fit_vgan(G, D, _clips(8), steps=4, batch_size=4, num_samples=2, snapshot_every=2, seed=1,
                               step=step, metric=metric, progress=False, ema_decay=ema_decay)
        G, D_i, D_v = _mocogan(lab, seed=12)

        def step(*args):
            out = lab["mocogan_step"](*args)
            seen.append(copy.deepcopy(G.state_dict()))
            return out
        return G, fit_mocogan(step, G, D_i, D_v, _clips(8), steps=4, batch_size=4, num_samples=2, snapshot_every=2,
                              seed=1, metric=metric, progress=False, ema_decay=ema_decay)

    torch.manual_seed(0)
    G_plain, plain = run(None)
    assert plain.average is None and plain.generator_average is None
    assert all(net is G_plain for net in measured)
    seen.clear(), measured.clear()
    torch.manual_seed(0)
    G, h = run(decay)
    assert len(seen) == 4
    averaged = h.generator_average
    assert type(averaged) is type(G) and averaged is not G
    want = _expected_average(seen, decay)
    got = averaged.state_dict()
    assert any("running_mean" in k for k in want)           # buffers are averaged too
    for k, v in want.items():
        assert torch.allclose(got[k], v, atol=1e-6), k
    assert not torch.allclose(got[next(iter(want))], seen[-1][next(iter(want))])   # not the last iterate
    # the live generator trained exactly as without the average
    for (k, a), b in zip(G.state_dict().items(), G_plain.state_dict().values()):
        assert torch.equal(a, b), k
    # snapshots and metric come from the average (same seeded latents as sample_videos with seed + 1)
    assert all(net is averaged for net in measured)
    num_frames = 16
    assert torch.allclose(h.snapshots[-1][1], sample_videos(averaged, 2, num_frames=num_frames, seed=2), atol=1e-6)
    assert not torch.allclose(h.snapshots[-1][1], sample_videos(G, 2, num_frames=num_frames, seed=2), atol=1e-4)
    # continuing with the returned average keeps updating it
    if model == "mocogan":
        G2, D_i, D_v = _mocogan(lab, seed=12)
        again = fit_mocogan(lab["mocogan_step"], G, D_i, D_v, _clips(8), steps=1, batch_size=4, num_samples=0,
                            progress=False, average=h.average)
        assert again.average is h.average and int(h.average.n_averaged) == 5
    with pytest.raises(ValueError):
        G3, D3 = _vgan(lab)
        fit_vgan(G3, D3, _clips(8), steps=1, batch_size=4, progress=False, ema_decay=1.0)


def test_fit_rejects_bad_input(lab):
    G, D = _vgan(lab)
    with pytest.raises(ValueError):
        fit_vgan(G, D, torch.zeros(8, 16, 32, 32), steps=1, batch_size=4, progress=False)
    with pytest.raises(ValueError):
        fit_vgan(G, D, _clips(8), steps=0, batch_size=4, progress=False)
    with pytest.raises(ValueError):
        fit_vgan(G, D, _clips(8), steps=1, batch_size=9, progress=False)


# -- sampling --------------------------------------------------------------------------------------------------------

def test_sample_videos_seeded_in_eval_mode_and_mode_restored(lab):
    G, _, _ = _mocogan(lab, seed=8)
    G.train()
    a = sample_videos(G, 5, num_frames=7, seed=3, batch_size=2)
    assert tuple(a.shape) == (5, 1, 7, 32, 32) and not a.requires_grad
    assert G.training
    assert torch.equal(a, sample_videos(G, 5, num_frames=7, seed=3, batch_size=2))
    assert not torch.equal(a, sample_videos(G, 5, num_frames=7, seed=4, batch_size=2))
    G.eval()
    with torch.no_grad():
        want = G(G.sample_latents(2, 7, generator=torch.Generator().manual_seed(3)))
    assert torch.allclose(a[:2], want)
    assert not G.training
    V, _ = _vgan(lab, seed=8)
    assert tuple(sample_videos(V, 3, seed=0).shape) == (3, 1, 16, 32, 32)


def test_quality_metric_on_real_clips(lab):
    real = _clips(6, seed=1)
    G, _, _ = _mocogan(lab, seed=9)
    out = quality_metric(real, n=6)(0, G)
    assert set(out) == {"FVD", "content"}
    assert math.isfinite(out["FVD"]) and out["FVD"] > 0 and 0 <= out["content"] <= 1


# -- motion statistics -----------------------------------------------------------------------------------------------

def _dot_video(path, size=12):
    """One video (1, 1, T, size, size): background -1, a single white pixel at each (x, y) of ``path``."""
    v = torch.full((1, 1, len(path), size, size), -1.0)
    for t, (x, y) in enumerate(path):
        v[0, 0, t, y, x] = 1.0
    return v


def test_motion_statistics_of_a_dot_moving_one_pixel_per_frame():
    v = _dot_video([(2 + t, 5) for t in range(6)])
    assert ink_centroids(v)[0, :, 0].tolist() == [2.5 + t for t in range(6)]
    stats = motion_statistics(v)
    assert stats["displacement"] == pytest.approx(1.0)
    assert stats["displacement_std"] == pytest.approx(0.0, abs=1e-6)
    assert stats["static_fraction"] == 0.0
    assert stats["speed_change"] == pytest.approx(0.0, abs=1e-6)
    assert stats["ink_change"] == pytest.approx(0.0, abs=1e-6)
    assert stats["frame_difference"] == pytest.approx(2 * 2 / 144)   # two pixels change by 2 of 144


def test_motion_statistics_of_known_paths():
    still = motion_statistics(_dot_video([(4, 4)] * 5))
    assert still["displacement"] == 0.0 and still["static_fraction"] == 1.0 and still["frame_difference"] == 0.0
    diagonal = motion_statistics(_dot_video([(t, t) for t in range(5)]))
    assert diagonal["displacement"] == pytest.approx(math.sqrt(2))
    # moves of 1, 3, 1, 3 px: mean 2, std 1, speed changes all 2, half of them under 1.5 px
    jerky = motion_statistics(_dot_video([(0, 0), (1, 0), (4, 0), (5, 0), (8, 0)]), static_threshold=1.5)
    assert jerky["displacement"] == pytest.approx(2.0)
    assert jerky["displacement_std"] == pytest.approx(1.0)
    assert jerky["speed_change"] == pytest.approx(2.0)
    assert jerky["static_fraction"] == pytest.approx(0.5)
    # a dot that vanishes: the ink goes from 1 pixel to none
    blink = _dot_video([(3, 3), (3, 3)])
    blink[0, 0, 1] = -1.0
    assert motion_statistics(blink)["ink_change"] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        motion_statistics(torch.zeros(2, 1, 1, 8, 8))


def test_motion_statistics_follow_the_labelled_trajectories_of_moving_digits():
    """One digit per video: its box moves by whole pixels and never leaves the frame, so the ink centroid moves
    exactly as the labelled box position does."""
    videos, labels = moving_digits(6, num_frames=10, num_digits=1, seed=4)
    moves = ink_centroids(videos)[:, 1:] - ink_centroids(videos)[:, :-1]
    labelled = (labels["positions"][:, 1:, 0] - labels["positions"][:, :-1, 0]).float()
    assert torch.allclose(moves, labelled, atol=1e-3)
    assert motion_statistics(videos)["displacement"] == pytest.approx(float(labelled.norm(dim=-1).mean()), rel=1e-4)


# -- grids -----------------------------------------------------------------------------------------------------------

def _recording(G):
    seen = []
    forward = G.forward

    def record(z):
        seen.append(z.detach().clone())
        return forward(z)

    G.forward = record
    return seen


@pytest.mark.parametrize("num_categories", [0, 3])
def test_content_motion_grids_keep_what_they_claim(lab, num_categories):
    G, _, _ = _mocogan(lab, seed=10, num_categories=num_categories)
    seen = _recording(G)
    content_fixed, motion_fixed = content_motion_grids(G, rows=2, cols=3, num_frames=5, seed=1)
    assert tuple(content_fixed.shape) == tuple(motion_fixed.shape) == (2, 3, 1, 5, 32, 32)
    assert G.training
    zc, zm = (z.view(2, 3, 5, -1) for z in seen)
    fixed_part = 6 + num_categories                    # [z_C, z_A] then 3 motion entries
    for r in range(2):
        for c in range(1, 3):
            assert torch.equal(zc[r, c, :, :fixed_part], zc[r, 0, :, :fixed_part])        # content kept
            assert not torch.allclose(zc[r, c, :, fixed_part:], zc[r, 0, :, fixed_part:])  # motion varies
            assert torch.equal(zm[r, c, :, fixed_part:], zm[r, 0, :, fixed_part:])        # motion kept
            assert not torch.allclose(zm[r, c, :, :6], zm[r, 0, :, :6])                   # content varies
        assert not torch.equal(zc[r, 0, 0, :6], zc[1 - r, 0, 0, :6])                      # rows differ
    # the videos are G's frames of those latents, in eval mode
    G.eval()
    with torch.no_grad():
        assert torch.allclose(content_fixed.flatten(0, 1), G.frames(zc.flatten(0, 2)).view(6, 5, 1, 32, 32)
                              .transpose(1, 2), atol=1e-6)


def test_frames_as_images_lays_out_one_video_per_row():
    v = torch.arange(2 * 1 * 6 * 2 * 2, dtype=torch.float32).view(2, 1, 6, 2, 2)
    out = frames_as_images(v, every=2)
    assert tuple(out.shape) == (6, 1, 2, 2)
    assert torch.equal(out[4], v[1, :, 2]) and torch.equal(out[2], v[0, :, 4])


# -- the benchmark's session-8 levers (benchmarks/lab8_video.py): D_I on k frames, image-GAN pre-training -----------

def test_benchmark_frames_for_image_d_takes_distinct_frames_of_each_video():
    from benchmarks.lab8_video import frames_for_image_d

    video = torch.arange(3 * 16, dtype=torch.float32).view(3, 1, 16, 1, 1).expand(3, 1, 16, 2, 2).clone()
    every = frames_for_image_d(video, 16)                                # all frames, time folded into the batch
    assert tuple(every.shape) == (48, 1, 2, 2)
    assert every[:, 0, 0, 0].tolist() == list(range(48))
    some = frames_for_image_d(video, 4, generator=torch.Generator().manual_seed(0))
    values = some[:, 0, 0, 0].view(3, 4)
    for b in range(3):                                                   # 4 distinct frames of video b itself
        assert len(set(values[b].tolist())) == 4
        assert all(16 * b <= v < 16 * (b + 1) for v in values[b].tolist())
    leaf = video.clone().requires_grad_(True)
    frames_for_image_d(leaf, 4).sum().backward()
    assert leaf.grad.sum() == 3 * 4 * 4                                  # one unit per picked pixel


def test_benchmark_many_frames_step_with_one_frame_is_the_labs_step(lab):
    from benchmarks.lab8_video import many_frames_step

    videos = _clips(4)
    results = []
    for step in (lab["mocogan_step"], many_frames_step(lab, 1)):
        G, D_i, D_v = _mocogan(lab, seed=5)
        opts = [torch.optim.Adam(n.parameters(), lr=1e-3) for n in (G, D_i, D_v)]
        torch.manual_seed(11)
        out = step(G, D_i, D_v, *opts, videos)
        results.append((out, [p.detach().clone() for n in (G, D_i, D_v) for p in n.parameters()]))
    assert results[0][0] == pytest.approx(results[1][0])
    assert all(torch.equal(a, b) for a, b in zip(results[0][1], results[1][1]))
    seen = []
    G, D_i, D_v = _mocogan(lab, seed=5)

    class Spy(nn.Module):                                                # D_I records the batch sizes it is given
        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, x):
            seen.append(x.shape[0])
            return self.net(x)

    opts = [torch.optim.Adam(n.parameters(), lr=1e-3) for n in (G, D_i, D_v)]
    many_frames_step(lab, 16)(G, Spy(D_i), D_v, *opts, videos)
    assert seen == [4 * 16, 4 * 16, 4 * 16]                              # real, fake (D step), fake (G step)


def test_benchmark_pretrain_frames_trains_g_and_d_image_within_its_budget(lab):
    from types import SimpleNamespace

    from benchmarks.lab8_video import pretrain_frames

    G, D_i, _ = _mocogan(lab, seed=2)
    before = [_params(G), _params(D_i)]
    args = SimpleNamespace(seed=0, lr=1e-3, instance_noise=0.1, pretrain=3.0, pretrain_batch=4,
                           pretrain_metric_every=2)
    calls = []
    out = pretrain_frames(G, D_i, _clips(6), args, clock=_Clock(0.5),
                          metric=lambda step, net: calls.append(step) or {"x": 1.0})
    assert out["steps"] == 6 and out["cpu_seconds"] == pytest.approx(3.0)   # each step's two clock reads 0.5 s apart
    assert calls == [0, 2, 4, 6] and [s for s, _, _ in out["logs"]] == [0, 2, 4, 6]
    assert _changed(before[0], G) and _changed(before[1], D_i)
    assert set(out) >= {"opt_g", "opt_d_image"}


# -- GlyphMover: z_C draws the glyph, z_M(t) only moves it -----------------------------------------------------------

class _Exact(nn.Module):
    """A motion head whose shift is the first two motion entries in pixels (the mover scales tanh's output by
    max_shift; dividing first makes integer shifts exact)."""

    def __init__(self, max_shift):
        super().__init__()
        self.max_shift = max_shift

    def forward(self, motion):
        return motion[:, :2] / self.max_shift


def _mover(seed=0, **kw):
    torch.manual_seed(seed)
    return GlyphMover(**{"latent_dim": 9, "motion_dim": 3, "ngf": 4, "size": 32, **kw}).eval()


def _placed(glyph, dx, dy, size=32):
    """The expected frame: ``glyph`` (C, g, g) with its box's top-left corner at the centred place + (dx, dy)."""
    g = glyph.shape[-1]
    top, left = (size - g) // 2 + dy, (size - g) // 2 + dx
    frame = torch.full((glyph.shape[0], size, size), -1.0)
    frame[:, top:top + g, left:left + g] = glyph
    return frame


def test_glyph_mover_shapes_batch_of_one_and_range():
    mover = _mover()
    for n in (1, 5):
        frames = mover(torch.randn(n, 9))
        assert tuple(frames.shape) == (n, 1, 32, 32)
        assert frames.min() >= -1 and frames.max() <= 1
    glyphs, shifts = mover.parts(torch.randn(1, 9))
    assert tuple(glyphs.shape) == (1, 1, 16, 16) and tuple(shifts.shape) == (1, 2)
    big = _mover(latent_dim=20, motion_dim=4, channels=3, size=64)       # glyph_size 32 at 64 x 64
    assert tuple(big(torch.randn(2, 20)).shape) == (2, 3, 64, 64)
    assert big.glyph_size == 32 and big.max_shift == 16


def test_glyph_mover_content_fixed_motion_varied_gives_translated_copies_of_one_glyph():
    mover = _mover(seed=1)
    mover.shift = _Exact(mover.max_shift)
    shifts = [(0, 0), (3, -2), (-8, 5), (8, 8), (-8, -8), (1, 7)]
    z = torch.randn(1, 9).repeat(len(shifts), 1)                         # one content code for all
    z[:, 6:8] = torch.tensor(shifts, dtype=torch.float32)
    with torch.no_grad():
        frames = mover(z)
        glyph = mover.parts(z[:1])[0][0]
    for frame, (dx, dy) in zip(frames, shifts):
        torch.testing.assert_close(frame, _placed(glyph, dx, dy), atol=1e-5, rtol=0)


def test_glyph_mover_real_head_moves_the_ink_rigidly():
    mover = _mover(seed=2)
    z = torch.randn(1, 9).repeat(6, 1)
    z[:, 6:] = 3 * torch.randn(6, 3)                                      # six motion codes, one content
    with torch.no_grad():
        frames = mover(z)
        _, shifts = mover.parts(z)
    assert shifts.abs().max() <= mover.max_shift
    assert (shifts[1:] - shifts[:1]).abs().max() > 0.5                    # the motion codes do move it
    ink = ((frames + 1) / 2).sum(dim=(1, 2, 3))
    torch.testing.assert_close(ink, ink[:1].expand(6), atol=1e-3, rtol=1e-5)   # nothing drawn or lost
    centroids = ink_centroids(frames[:, :, None])[:, 0]                   # (6, 2) as (x, y)
    torch.testing.assert_close(centroids - shifts, (centroids - shifts)[:1].expand(6, 2), atol=1e-3, rtol=0)


def test_glyph_mover_motion_fixed_content_varied_keeps_the_position():
    mover = _mover(seed=3)
    z = torch.randn(5, 9)
    z[:, 6:] = z[:1, 6:]                                                  # one motion code, five contents
    with torch.no_grad():
        glyphs, shifts = mover.parts(z)
    assert torch.equal(shifts, shifts[:1].expand(5, 2))
    assert (glyphs[1:] - glyphs[:1]).abs().amax(dim=(1, 2, 3)).min() > 1e-3   # five different glyphs
    mover.shift = _Exact(mover.max_shift)
    z[:, 6:8] = torch.tensor([4.0, -3.0])
    with torch.no_grad():
        frames, glyphs = mover(z), mover.parts(z)[0]
    for frame, glyph in zip(frames, glyphs):
        torch.testing.assert_close(frame, _placed(glyph, 4, -3), atol=1e-5, rtol=0)


def test_glyph_mover_gradients_reach_the_glyph_and_the_motion_head():
    mover = _mover(seed=4).train()
    z = torch.randn(4, 9, requires_grad=True)
    frames = mover(z)
    (frames * torch.randn_like(frames)).sum().backward()
    for name, param in mover.named_parameters():
        assert param.grad is not None and param.grad.abs().sum() > 0, name
    assert z.grad[:, :6].abs().sum() > 0 and z.grad[:, 6:].abs().sum() > 0


def test_glyph_mover_keeps_the_box_inside_at_extreme_motion_codes():
    mover = _mover(seed=5)
    z = torch.randn(8, 9)
    z[:, :6] = z[:1, :6]                                                  # one content code
    z[:, 6:] = 1e4 * torch.randn(8, 3)                                    # tanh saturates: the largest shifts
    with torch.no_grad():
        frames = mover(z)
        glyphs, shifts = mover.parts(z)
    assert shifts.abs().max() <= mover.max_shift == 8
    torch.testing.assert_close(((frames + 1) / 2).sum(dim=(1, 2, 3)), ((glyphs + 1) / 2).sum(dim=(1, 2, 3)),
                               atol=1e-3, rtol=1e-5)                      # no ink leaves the frame


@pytest.mark.parametrize("kwargs, message", [
    ({"latent_dim": 9, "motion_dim": 9}, "motion_dim < latent_dim"),
    ({"latent_dim": 9, "motion_dim": 0}, "motion_dim"),
    ({"latent_dim": 9, "motion_dim": 3, "glyph_size": 12}, "power of two"),
    ({"latent_dim": 9, "motion_dim": 3, "glyph_size": 64}, "glyph_size"),
    ({"latent_dim": 9, "motion_dim": 3, "size": 4}, "size"),
    ({"latent_dim": 9, "motion_dim": 3, "size": 33}, "even"),
    ({"latent_dim": 9, "motion_dim": 3, "whole_pixels": True}, "whole_pixels"),
])
def test_glyph_mover_rejects_bad_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        GlyphMover(**kwargs)


def test_glyph_mover_rejects_bad_latents():
    mover = _mover()
    for bad in (torch.randn(2, 8), torch.randn(2, 3, 9), [0.0] * 9):
        with pytest.raises(ValueError, match=r"z of shape \(N, 9\)"):
            mover(bad)


def test_glyph_mover_trains_as_mocogan_frames_through_fit_mocogan(lab):
    G, D_i, D_v = _mocogan(lab, seed=6)
    G.frames = GlyphMover(6 + 3, 3, ngf=4, size=32)                       # content 6, motion 3
    before = _params(G)
    h = fit_mocogan(lab["mocogan_step"], G, D_i, D_v, _clips(8), steps=3, batch_size=4, num_samples=2,
                    progress=False)
    assert h.steps == 3 and all(math.isfinite(v) for vs in h.losses.values() for v in vs)
    changed = _changed(before, G)
    assert any(n.startswith("frames.glyph") for n in changed) and any(n.startswith("frames.shift") for n in changed)
    assert any(n.startswith("motion.") for n in changed)                  # the motion RNN learns through the shift
    content_fixed, _ = content_motion_grids(G, rows=2, cols=3)
    ink = ((content_fixed + 1) / 2).sum(dim=(2, 4, 5))                    # (rows, cols, T): ink per frame
    torch.testing.assert_close(ink, ink[:, :1, :1].expand_as(ink), atol=1e-2, rtol=1e-4)   # one glyph per row


def test_glyph_mover_whole_pixels_rounds_the_shift_and_passes_its_gradient_straight_through():
    torch.manual_seed(8)
    mover = GlyphMover(9, 3, ngf=4, size=32, whole_pixels="always").eval()
    z = torch.randn(1, 9).repeat(5, 1)
    z[:, 6:] = 3 * torch.randn(5, 3)
    with torch.no_grad():
        glyphs, shifts = mover.parts(z)
        frames = mover(z)
    assert torch.equal(shifts, shifts.round()) and shifts.abs().max() <= 8
    for frame, (dx, dy) in zip(frames, shifts.long().tolist()):            # exact copies at whole pixels
        torch.testing.assert_close(frame, _placed(glyphs[0], dx, dy), atol=1e-5, rtol=0)
    frames = mover(z)
    (frames * torch.randn_like(frames)).sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in mover.shift.parameters())


def test_glyph_mover_whole_pixels_when_sampling_rounds_in_evaluation_mode_only():
    torch.manual_seed(9)
    mover = GlyphMover(9, 3, ngf=4, size=32, whole_pixels="sampling")
    z = torch.randn(6, 9)
    z[:, 6:] *= 3
    trained = mover.train().parts(z)[1]
    sampled = mover.eval().parts(z)[1]
    assert not torch.equal(trained, trained.round())                     # sub-pixel while training
    assert torch.equal(sampled, trained.round())                         # the same shifts, rounded, when sampling
