"""Public checks for Lab 8 (video GANs: VGAN, MoCoGAN).

This file ships to students, so it never computes an expected value with the formula an exercise asks for: expected
values are numbers worked out by hand on small inputs the test sets (the working is in the comments), or outputs
stored from a trusted run of the text's networks with every parameter set by the test (in forward order, or by
layer type and shape where the text leaves the order of two streams free), so attribute names and initialisation
never matter. Known mistakes are recognised by stored numbers too. Random samplers are judged by what they draw
(every frame or clip start reachable, each output a frame or contiguous clip of its own video, reproducible with a
seeded generator), never by exact draws. Networks that call another exercise (the VGAN generator calls your
vgan_composite, MoCoGAN calls your MotionRNN, the step calls your samplers) are judged against what YOUR helper
returns, so a wrong helper costs only its own points. The hidden tests (instructor side) add other sizes, batches
of one, T = 1, the errors the docstrings promise, networks compared with trusted copies of the text's
architectures in train and eval mode with their batch-norm statistics, sampling statistics, and replays of the
training step with Adam and momentum and stale gradients.
"""

from __future__ import annotations

import math

from ganlab.checks.answers import answer_number
from ganlab.checks.lab3 import check, close, fail, make_optimizer, params_of
from ganlab.checks.lab4 import build, expect_shape, tensor_or_fail
from ganlab.checks.lab5 import expect_method_raises, expect_raises, forward, uniform
from ganlab.grading.netcheck import structure
from ganlab.grading.testing import Global, SubmissionError, as_float_tensor, exercise, expect_new_raises, register

LAB = "lab8"

GEOM = exercise(LAB, "conv3d_output_shape", title="3D convolution arithmetic")
ANSWER = exercise(LAB, "answer_min_frames", title="The shortest clip the video discriminator accepts")
COMP = exercise(LAB, "vgan_composite", title="VGAN's mask composite")
VGAN = exercise(LAB, "VGANGenerator", title="The two-stream VGAN generator")
VIDEO_D = exercise(LAB, "VideoDiscriminator", title="The 3D-conv video discriminator")
RNN = exercise(LAB, "MotionRNN", title="MoCoGAN's motion RNN")
MOCO = exercise(LAB, "MoCoGANGenerator", title="The MoCoGAN generator")
FRAMES = exercise(LAB, "sample_frames", title="Sampling frames for the image discriminator")
CLIPS = exercise(LAB, "sample_clips", title="Sampling clips for the video discriminator")
STEP = exercise(LAB, "mocogan_step", title="One MoCoGAN training step")

# Hints are module-level constants: hidden feedback shows only those (autograder.runner.allowed_hints).
HINT_SHAPE = "The result does not have the shape the docstring promises: reread its Returns section."
HINT_MUTATES = "The function changed its inputs in place: work on new tensors."
HINT_GEOM_TYPE = "conv3d_output_shape returns a tuple of three Python ints (T', H', W')."
HINT_GEOM_CONV = ("A Conv3d maps each axis n to floor((n + 2 * padding - kernel) / stride) + 1, with that axis's own "
                  "kernel, stride and padding (time first, then height, then width).")
HINT_GEOM_NO_PADDING = "The padding is added on both sides of each axis: n + 2 * padding before the kernel slides."
HINT_GEOM_CEIL = "Conv3d rounds the division by the stride down (floor), not up."
HINT_GEOM_TRANSPOSED = ("A ConvTranspose3d maps each axis n to (n - 1) * stride - 2 * padding + kernel + "
                        "output_padding (the inverse of the Conv3d rule).")
HINT_GEOM_NO_OUTPUT_PADDING = "The transposed size forgets output_padding: add it at the end of each axis's size."
HINT_GEOM_AXES = ("The 3-tuples are (time, height, width), in that order, and each axis uses its own entry; an int "
                  "applies to all three axes.")
HINT_GEOM_ERRORS = ("conv3d_output_shape must raise ValueError for kernel < 1, stride < 1, padding < 0, an invalid "
                    "output_padding, an in_shape entry < 1, or an output axis < 1 (naming the axis: \"time\", "
                    "\"height\" or \"width\"), and TypeError for an entry that is not an int.")
HINT_ANSWER = "Work the time axis through every layer of VideoDiscriminator(n_layers=4), the final one included."
HINT_ANSWER_LAYERS_3 = "That is the minimum for n_layers = 3; the question asks for n_layers = 4 (64 x 64)."
HINT_ANSWER_ZERO = "A clip must leave at least ONE time step after the last layer (T' >= 1), not T' >= 0."
HINT_ANSWER_FINAL = "The final Conv3d (kernel 4, stride 1, no padding) shortens the clip by 3 more frames."
HINT_ANSWER_VGAN = "32 frames is VGAN's discriminator (temporal stride 2); MoCoGAN's keeps stride 1 in time."
HINT_COMP_GENERIC = ("vgan_composite: mask = sigmoid(mask_logits), video = mask * foreground + (1 - mask) * "
                     "background (the background repeated over the T frames), penalty = penalty_weight * "
                     "mean(|mask|).")
HINT_COMP_TRIPLE = "vgan_composite returns the triple (video, mask, penalty): tensors, the penalty 0-dim."
HINT_COMP_NO_SIGMOID = ("The mask is not in [0, 1]: it is sigmoid(mask_logits), not the raw logits (or a tanh): only "
                        "then is each pixel a convex mix of foreground and background.")
HINT_COMP_SWAPPED = ("The mask weighs the background: video = mask * foreground + (1 - mask) * background (the mask "
                     "says where the moving foreground is).")
HINT_COMP_PENALTY_SUM = ("The penalty is a MEAN of |mask| over all its elements times penalty_weight, not a sum "
                         "(so the weight does not depend on the video's size).")
HINT_COMP_PENALTY_MISSING = ("The penalty is missing or ignores the weight: penalty_weight * mean(|mask|), the L1 "
                             "sparsity term on the mask (VGAN's lambda = 0.1), as a tensor with a gradient.")
HINT_COMP_GRADS = ("The outputs do not backpropagate to the three inputs with the right gradients: build them with "
                   "torch functions on the given tensors (no .detach(), .item() or numpy).")
HINT_COMP_ERRORS = ("vgan_composite must raise ValueError when B, T, H or W differ between the inputs, when "
                    "mask_logits has more than one channel, and when penalty_weight < 0.")
HINT_VGAN_COMPOSITE = ("The generator must build its video with your vgan_composite(foreground, background, "
                       "mask_logits) (default penalty weight) and return what it returns.")
HINT_VGAN_BACKGROUND_TIME = ("The background varies over time: it is ONE image per video (B, C, H, W) from the 2D "
                             "stream, repeated over the frames by the composite (a static camera).")
HINT_VGAN_STREAMS = ("A stream of the generator computes something else than the text's layers with these parameters: "
                     "3D foreground stream ConvTranspose3d (2, 4, 4) / 1 / 0, then 4 / 2 / 1 blocks, each with "
                     "BatchNorm3d and ReLU, tanh foreground head and raw mask head; 2D background stream 4 / 1 / 0, "
                     "4 / 2 / 1 blocks with BatchNorm2d and ReLU, tanh.")
HINT_VGAN_MASK_TANH = "The mask head gives raw logits (no tanh, no sigmoid): vgan_composite applies the sigmoid."
HINT_VGAN_PARTS = ("parts(z) returns (video, foreground, background, mask, penalty): the composite's video, mask and "
                   "penalty, and the streams' foreground (B, C, T, H, W) and background (B, C, H, W).")
HINT_VGAN_FORWARD = "forward(z) must return the same video as parts(z)[0]."
HINT_VGAN_ERRORS = ("VGANGenerator must raise ValueError in __init__ for a size other than 32 or 64, and in forward "
                    "when z is not (B, latent_dim).")
HINT_VGAN_FRAMES = ("The video has the wrong number of frames: T = size // 2 (16 at 32): the first 3D layer gives 2 "
                    "frames and each 4 / 2 / 1 layer doubles them, the head included.")
HINT_VD_LAYERS = ("The video discriminator's layers differ from the text: Conv3d(channels, ndf, 4, stride (1, 2, 2), "
                  "padding (0, 1, 1)) with bias -> LeakyReLU(0.2), n_layers - 1 bias-free Conv3d(c, 2c, 4, (1, 2, 2), "
                  "(0, 1, 1)) -> BatchNorm3d -> LeakyReLU(0.2), then Conv3d(c, 1, 4, 1, 0) with bias.")
HINT_VD_TIME_STRIDE = ("A temporal stride halves the clip: MoCoGAN's video discriminator keeps stride 1 (and no "
                       "padding) in time, stride (1, 2, 2), padding (0, 1, 1).")
HINT_VD_SQUEEZE = ("The output lost an axis of size 1: remove the channel axis by indexing ([:, 0]), never by "
                   ".squeeze(), which also drops B or T' when they are 1.")
HINT_VD_CHANNEL = "The logits keep the channel axis: return (B, T', H', W'), the final map indexed [:, 0]."
HINT_VD_SIGMOID = "The discriminator ends with a Sigmoid: return raw logits (the loss is BCE-with-logits)."
HINT_VD_GENERIC = "The video discriminator computes something else than the text's architecture with these parameters."
HINT_VD_ERRORS = ("VideoDiscriminator must raise ValueError for n_layers < 1, for an input that is not 5-D or has "
                  "other channels, and for a clip shorter than 3 * n_layers + 4 frames (naming that minimum).")
HINT_SLOPE = "LeakyReLU's slope must be 0.2: nn.LeakyReLU() defaults to 0.01, so pass nn.LeakyReLU(0.2)."
HINT_BIAS_BEFORE_BN = ("A convolution followed by batch norm has a bias: BN subtracts the channel mean, which removes "
                       "any bias, so it is a wasted parameter: bias=False there.")
HINT_RNN_GENERIC = ("MotionRNN: h_t = GRUCell(eps[:, t], h_{t-1}) from h_0 = h0, returning the states h_1 .. h_T "
                    "stacked on dim 1.")
HINT_RNN_NO_RECURRENCE = ("Each step starts from h0 again: the motion has no recurrence. Feed the previous step's "
                          "state back in: h_t = GRUCell(eps[:, t], h_{t-1}).")
HINT_RNN_SAME_NOISE = ("Every step gets the same noise eps[:, 0]: the RNN takes fresh noise at each step, "
                       "eps[:, t] at step t.")
HINT_RNN_SHIFTED = ("The outputs are shifted by one step: return the states AFTER each step, h_1 .. h_T, not "
                    "h_0 .. h_{T-1}.")
HINT_RNN_ERRORS = "MotionRNN.forward must raise ValueError when eps is not (B, T, noise_dim) or h0 not (B, motion_dim)."
HINT_MOCO_ATTRS = ("MoCoGANGenerator needs self.motion = MotionRNN(noise_dim, motion_dim) and self.frames = "
                   "FrameGenerator(content_dim + num_categories + motion_dim, channels, ngf, size).")
HINT_MOCO_CONTENT = ("The content code changes from frame to frame: z_C is drawn ONCE per video (B, content_dim) and "
                     "repeated over the T frames (it is what the video shows; only the motion changes).")
HINT_MOCO_CONTENT_SHARED = ("All videos share one content code: draw z_C of shape (B, content_dim), one per video.")
HINT_MOCO_CATEGORY = ("The category part is not the one-hot of the categories, the same on every frame, placed "
                      "after z_C: z = [z_C, z_A, z_M].")
HINT_MOCO_CATEGORY_RNN = ("The category was fed to the motion RNN: it goes to the image generator only (in z), the "
                          "RNN takes noise of size noise_dim alone.")
HINT_MOCO_MOTION = ("The motion part is not what your motion RNN (self.motion) returns for the noise and h0 you drew: "
                    "z_M = self.motion(eps, h0), eps (B, T, noise_dim), h0 (B, motion_dim), placed last.")
HINT_MOCO_SAME_NOISE = ("The motion RNN got the same noise at every step: draw eps of shape (B, T, noise_dim), fresh "
                        "noise for each frame.")
HINT_MOCO_ORDER = "The parts of z are concatenated in another order: z = [z_C, z_A, z_M] along the last axis."
HINT_MOCO_AXES = ("The video's axes are permuted: forward returns (B, C, T, H, W), channels before time (PyTorch's "
                  "Conv3d layout): reshape the frames to (B, T, C, H, W), then permute(0, 2, 1, 3, 4).")
HINT_MOCO_RESHAPE = ("The frames are put in the wrong places: frame b * T + t of self.frames(z.reshape(B * T, -1)) is "
                     "frame t of video b; reshape to (B, T, C, H, W) and permute, a plain view to (B, C, T, H, W) "
                     "mixes frames and channels.")
HINT_MOCO_FORWARD = ("forward(z) runs all B * T latents through self.frames at once and returns video (B, C, T, H, W) "
                     "with video[b, :, t] = frame b * T + t.")
HINT_MOCO_SAMPLE = "sample(batch, num_frames) returns (video, z) with video = forward(z) for z = sample_latents(...)."
HINT_MOCO_GENERATOR = ("With a generator given, every draw must come from it: the same seed gives the same z, and the "
                       "global RNG stays untouched (pass generator= to torch.randn and torch.randint).")
HINT_MOCO_DISTRIBUTION = ("The latents are not drawn as the text says: z_C, eps and h0 from N(0, I) (torch.randn), "
                          "random categories uniform over 0..num_categories - 1.")
HINT_FRAMES_GENERIC = ("sample_frames returns one frame per video, frames[b] = video[b, :, t_b] of shape (B, C, H, W), "
                       "with t_b drawn uniformly from 0..T - 1 for each video.")
HINT_FRAMES_SQUEEZE = ("An axis of size 1 was dropped: index the frames (video[torch.arange(B), :, t]) without "
                       ".squeeze(), which also drops B = 1 or C = 1.")
HINT_FRAMES_SAME = "All videos got the same frame index: draw one index per video (torch.randint(T, (B,)))."
HINT_FRAMES_RANGE = "Some frame index is never drawn: draw uniformly from 0..T - 1 (torch.randint(T, ...))."
HINT_SAMPLER_GENERATOR = ("With generator= given, the draws must come from it: the same seeded generator gives the "
                          "same frames or clips (pass generator=generator to torch.randint).")
HINT_SAMPLER_GRAD = "The output must backpropagate to the video (index it; no .detach(), numpy or .item())."
HINT_CLIPS_GENERIC = ("sample_clips returns one contiguous clip per video, clips[b] = video[b, :, s_b : s_b + L] of "
                      "shape (B, C, L, H, W), s_b drawn uniformly from 0..T - L inclusive for each video.")
HINT_CLIPS_LAST_START = ("The last possible start T - clip_length is never drawn: the starts run from 0 to T - L "
                         "INCLUSIVE, torch.randint(T - L + 1, ...) (randint's upper bound is exclusive).")
HINT_CLIPS_SAME = "All videos got the same clip start: draw one start per video (torch.randint(..., (B,)))."
HINT_CLIPS_ERRORS = "sample_clips must raise ValueError unless 1 <= clip_length <= T."
HINT_STEP_DICT = ("mocogan_step returns a dict with the keys loss_d_image, loss_d_video, loss_g_image, loss_g_video, "
                  "each a Python float (loss.item()).")
HINT_STEP_SAMPLE = "Draw the fakes once per step with G.sample(B, T) (B and T of x_real) and use them in both steps."
HINT_STEP_OWN_SAMPLERS = ("Take the discriminators' inputs from your own sample_frames(video) and "
                          "sample_clips(video, clip_length), on the real and on the fake videos.")
HINT_STEP_IMAGE_D_CLIPS = ("The image discriminator was given clips: D_image judges single frames, "
                           "sample_frames(video) (B, C, H, W).")
HINT_STEP_VIDEO_D_FRAMES = ("The video discriminator was given single frames: D_video judges clips, "
                            "sample_clips(video, clip_length) (B, C, L, H, W).")
HINT_STEP_CLIP_LENGTH = "The clips do not have clip_length frames (default T): sample_clips(video, L)."
HINT_STEP_CALLS = ("Each discriminator judges the real and the detached fake batch once in its step (separate "
                   "calls), and the fake once more in the G step.")
HINT_STEP_DETACH = ("Gradients from a discriminator's loss reached the generator: detach the fake in the D step "
                    "(sample_frames(fake.detach()), sample_clips(fake.detach(), L)).")
HINT_STEP_NO_G_GRAD = ("No gradient reached the generator in the G step: draw its frames and clips from the fake "
                       "with its graph (not detached) and backpropagate loss_g_image + loss_g_video.")
HINT_STEP_ORDER = ("The G step used a discriminator before its update: update both discriminators first, then "
                   "compute G's losses through the updated ones.")
HINT_STEP_D_LOSS = ("A discriminator's loss is not BCE-with-logits(real logits, 1) + BCE-with-logits(fake logits, 0), "
                    "each a mean over that call's logits.")
HINT_STEP_G_LOSS = ("loss_g_image and loss_g_video are BCE-with-logits(D(fake frames or clips), 1), the "
                    "non-saturating loss, each a mean over the call's logits.")
HINT_STEP_MODE = "mocogan_step leaves G and both discriminators in training mode (and runs them in it)."
HINT_STEP_NOT_MOVED = "A network's parameters did not change: call its optimizer's step() after its backward pass."


# -- helpers ------------------------------------------------------------------------------------------------------

def sub_global(name):
    return Global(name)


def coded_video(batch, channels, frames, height, width, offset=0.0):
    """A float32 video whose every frame is recognisable: value 10 * b + t + 0.01 * (c * H * W + h * W + w) +
    ``offset`` at [b, c, t, h, w] (frame t of video b has integer part 10 b + t)."""
    import torch

    b = torch.arange(batch).view(-1, 1, 1, 1, 1).float()
    t = torch.arange(frames).view(1, 1, -1, 1, 1).float()
    inner = torch.arange(channels * height * width).float().view(1, channels, 1, height, width)
    return (10 * b + t + 0.01 * inner + offset).float()


def frame_indices(out, video, what, hint):
    """For sampled frames ``out`` (B, C, H, W) of ``video`` (B, C, T, H, W): the index t_b of each, or a failure
    naming the mistake (a frame of another video, not a frame)."""
    import torch

    b, c, t = video.shape[:3]
    idx = []
    for i in range(b):
        hits = [s for s in range(t) if torch.equal(out[i], video[i, :, s])]
        if not hits:
            fail(f"{what}: output {i} is not a frame of video {i}.", hint)
        idx.append(hits[0])
    return idx


def clip_starts(out, video, length, what, hint):
    """For sampled clips ``out`` (B, C, L, H, W) of ``video``: the start of each, or a failure."""
    import torch

    b, c, t = video.shape[:3]
    starts = []
    for i in range(b):
        hits = [s for s in range(t - length + 1) if torch.equal(out[i], video[i, :, s:s + length])]
        if not hits:
            fail(f"{what}: output {i} is not a contiguous clip of {length} frames of video {i}.", hint)
        starts.append(hits[0])
    return starts


# -- 1. conv3d_output_shape ---------------------------------------------------------------------------------------

def shape_call(sub, args, kwargs):
    what = "conv3d_output_shape(" + ", ".join(map(repr, args)) + "".join(f", {k}={v!r}" for k, v in kwargs.items()) \
        + ")"
    got = sub.call("conv3d_output_shape", *args, **kwargs)
    if not isinstance(got, (tuple, list)) or len(got) != 3 or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in got):
        fail(f"{what} returned {got!r}, expected a tuple of three ints.", HINT_GEOM_TYPE)
    return tuple(got), what


def judge_shape(sub, args, kwargs, expected, wrongs=(), hint=HINT_GEOM_CONV):
    got, what = shape_call(sub, args, kwargs)
    if got != tuple(expected):
        known = dict((tuple(w), h) for w, h in wrongs).get(got, hint)
        fail(f"{what} returned {got}, expected {tuple(expected)}.", known)


def expect_axis_error(sub, args, kwargs, axis):
    """The call must raise ValueError with ``axis`` ("time", "height", "width") in its message."""
    what = "conv3d_output_shape(" + ", ".join(map(repr, args)) + "".join(f", {k}={v!r}" for k, v in kwargs.items()) \
        + ")"
    message = expect_raises(sub, "ValueError", HINT_GEOM_ERRORS, what, "conv3d_output_shape", *args, **kwargs)
    text = message.split("ValueError", 1)[-1].split(" (at ", 1)[0].lower()
    check(axis in text, f"{what}: the ValueError's message does not name the {axis} axis.", HINT_GEOM_ERRORS)


#: Conv3d, kernel (3, 5, 2), stride (2, 3, 1), padding (1, 2, 0) on (7, 11, 9), worked by hand:
#:   time (7 + 2 - 3) // 2 + 1 = 4; height (11 + 4 - 5) // 3 + 1 = 10 // 3 + 1 = 4; width (9 - 2) // 1 + 1 = 8.
#: Known mistakes: no padding (4 - 3) ... 3, 3, 8; rounding up: 4, 5, 8; the tuples read (W, H, T): kernel (2, 5, 3)
#: stride (1, 3, 2) padding (0, 2, 1) on time 7 -> 6, height 4, width (9 + 2 - 3) // 2 + 1 = 5.
#: ConvTranspose3d, kernel (3, 4, 5), stride (2, 3, 1), padding (1, 0, 2), output_padding (1, 2, 0) on (5, 6, 3):
#:   time 4 * 2 - 2 + 3 + 1 = 10; height 5 * 3 - 0 + 4 + 2 = 21; width 2 * 1 - 4 + 5 + 0 = 3.
#: Known mistakes: no output_padding 9, 19, 3; one padding only (- p): 11, 21, 5.
#: Ints: kernel 3 on (9, 20, 14) -> (7, 18, 12). MoCoGAN's first layer on (16, 32, 32): kernel 4, stride (1, 2, 2),
#: padding (0, 1, 1) -> (13, 16, 16).
GEOM_CONV = ((7, 11, 9), (3, 5, 2), (2, 3, 1), (1, 2, 0))
GEOM_CONV_WRONGS = [((3, 3, 8), HINT_GEOM_NO_PADDING), ((4, 5, 8), HINT_GEOM_CEIL), ((6, 4, 5), HINT_GEOM_AXES)]
GEOM_TRANSPOSED_WRONGS = [((9, 19, 3), HINT_GEOM_NO_OUTPUT_PADDING), ((11, 21, 5), HINT_GEOM_TRANSPOSED)]


@register(GEOM, points=1)
def conv3d_shapes_hand_worked(sub):
    """Conv3d kernel (3, 5, 2), stride (2, 3, 1), padding (1, 2, 0) on (7, 11, 9) -> (4, 4, 8); ConvTranspose3d kernel (3, 4, 5), stride (2, 3, 1), padding (1, 0, 2), output_padding (1, 2, 0) on (5, 6, 3) -> (10, 21, 3); int kernel 3 on (9, 20, 14) -> (7, 18, 12); MoCoGAN's layer on (16, 32, 32) -> (13, 16, 16); kernel 4 on 3 frames raises ValueError naming time; stride 0 raises ValueError; kernel 4.0 raises TypeError."""
    shape, kernel, stride, padding = GEOM_CONV
    judge_shape(sub, (shape, kernel), {"stride": stride, "padding": padding}, (4, 4, 8), GEOM_CONV_WRONGS)
    judge_shape(sub, ((5, 6, 3), (3, 4, 5)), {"stride": (2, 3, 1), "padding": (1, 0, 2), "transposed": True,
                                              "output_padding": (1, 2, 0)}, (10, 21, 3), GEOM_TRANSPOSED_WRONGS,
                HINT_GEOM_TRANSPOSED)
    judge_shape(sub, ((9, 20, 14), 3), {}, (7, 18, 12))
    judge_shape(sub, ((16, 32, 32), 4), {"stride": (1, 2, 2), "padding": (0, 1, 1)}, (13, 16, 16))
    expect_axis_error(sub, ((3, 8, 8), 4), {}, "time")
    expect_raises(sub, "ValueError", HINT_GEOM_ERRORS, "conv3d_output_shape((9, 9, 9), 3, stride=0)",
                  "conv3d_output_shape", (9, 9, 9), 3, stride=0)
    expect_raises(sub, "TypeError", HINT_GEOM_ERRORS, "conv3d_output_shape((9, 9, 9), 4.0)", "conv3d_output_shape",
                  (9, 9, 9), 4.0)


# -- 2. answer_min_frames -----------------------------------------------------------------------------------------

@register(ANSWER, points=0.5)
def min_frames_is_a_number(sub):
    """answer_min_frames() returns a positive number (the grader checks the value)."""
    answer_number(sub, "answer_min_frames", positive=True)


# -- 3. vgan_composite --------------------------------------------------------------------------------------------

#: B = 2, C = 2, T = 2, H = W = 1. Mask logits per (b, t): b0 [log 3, -log 2] -> m [3/4, 1/3]; b1 [0, log 4] ->
#: [1/2, 4/5]. Foreground (b, c, t): b0 c0 [0.6, -0.2], b0 c1 [0.4, 1.0], b1 c0 [-0.8, 0.3], b1 c1 [0.1, -0.5];
#: background (b, c): b0 [-0.4, 0.2], b1 [0.5, -0.9]. video = m f + (1 - m) g:
#:   b0 c0: 3/4 * 0.6 + 1/4 * -0.4 = 0.35, 1/3 * -0.2 + 2/3 * -0.4 = -1/3
#:   b0 c1: 3/4 * 0.4 + 1/4 * 0.2 = 0.35, 1/3 * 1.0 + 2/3 * 0.2 = 7/15
#:   b1 c0: 1/2 * -0.8 + 1/2 * 0.5 = -0.15, 4/5 * 0.3 + 1/5 * 0.5 = 0.34
#:   b1 c1: 1/2 * 0.1 + 1/2 * -0.9 = -0.4, 4/5 * -0.5 + 1/5 * -0.9 = -0.58
#: The mask weighing the background instead (m g + (1 - m) f): b0 c0: -0.15, 1/3 * -0.4 + 2/3 * -0.2 = -4/15;
#:   b0 c1: 0.25, 1/3 * 0.2 + 2/3 * 1.0 = 11/15; b1 c0: -0.15, 4/5 * 0.5 + 1/5 * 0.3 = 0.46; b1 c1: -0.4, -0.82.
#: mean(m) = (3/4 + 1/3 + 1/2 + 4/5) / 4 = 143/240; penalty 0.3 * 143/240 = 0.17875 (a sum: 0.3 * 143/60 = 0.715).
#: Gradients of sum(video): d/df = m (per channel), d/dg = sum_t (1 - m) = 11/12 (b0), 7/10 (b1), d/dlogits =
#: m (1 - m) sum_c (f - g): b0 3/16 * 1.2 = 0.225, 2/9 * 1.0; b1 1/4 * -0.3 = -0.075, 4/25 * 0.2 = 0.032.
#: Gradient of the penalty with respect to the logits: 0.3 * m (1 - m) / 4: 0.0140625, 1/60, 0.01875, 0.012.
COMP_LOGITS = [[[[[math.log(3)]], [[-math.log(2)]]]], [[[[0.0]], [[math.log(4)]]]]]           # (2, 1, 2, 1, 1)
COMP_FG = [[[[[0.6]], [[-0.2]]], [[[0.4]], [[1.0]]]], [[[[-0.8]], [[0.3]]], [[[0.1]], [[-0.5]]]]]  # (2, 2, 2, 1, 1)
COMP_BG = [[[[-0.4]], [[0.2]]], [[[0.5]], [[-0.9]]]]                                           # (2, 2, 1, 1)
COMP_VIDEO = [0.35, -1 / 3, 0.35, 7 / 15, -0.15, 0.34, -0.4, -0.58]
COMP_SWAPPED = [-0.15, -4 / 15, 0.25, 11 / 15, -0.15, 0.46, -0.4, -0.82]
COMP_MASK = [3 / 4, 1 / 3, 1 / 2, 4 / 5]


def composite_outputs(sub, args, what):
    out = sub.call("vgan_composite", *args)
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        fail(f"{what} returned {type(out).__name__}, expected (video, mask, penalty).", HINT_COMP_TRIPLE)
    video, mask, penalty = (tensor_or_fail(v, what, HINT_COMP_TRIPLE) for v in out)
    check(penalty.dim() == 0, f"{what}: the penalty has shape {tuple(penalty.shape)}, expected a 0-dim tensor.",
          HINT_COMP_TRIPLE)
    return as_float_tensor(video, what), as_float_tensor(mask, what), as_float_tensor(penalty, what)


@register(COMP, points=1)
def composite_hand_worked(sub):
    """B = 2, C = 2, T = 2, 1 x 1 frames with simple sigmoids: video, mask and penalty (weight 0.3) as worked by hand, mask in [0, 1]; gradients reach the foreground, background and mask logits as worked by hand; inputs unchanged; a mask with 2 channels, a T mismatch and penalty_weight < 0 raise ValueError."""
    import torch

    fg, bg, logits = torch.tensor(COMP_FG), torch.tensor(COMP_BG), torch.tensor(COMP_LOGITS)
    what = "vgan_composite(foreground (2, 2, 2, 1, 1), background (2, 2, 1, 1), mask_logits (2, 1, 2, 1, 1), 0.3)"
    refs = [sub.trusted("torch.clone", a) for a in (fg, bg, logits)]
    video, mask, penalty = composite_outputs(sub, [*refs, 0.3], what)
    check(all(torch.equal(sub.state(r)["value"], a) for r, a in zip(refs, (fg, bg, logits))),
          f"{what} changed its inputs.", HINT_MUTATES)
    expect_shape(mask, (2, 1, 2, 1, 1), f"{what}: mask", HINT_COMP_GENERIC)
    check(float(mask.min()) >= 0 and float(mask.max()) <= 1,
          f"{what}: the mask ranges over [{float(mask.min()):.3g}, {float(mask.max()):.3g}].", HINT_COMP_NO_SIGMOID)
    close(mask.flatten(), COMP_MASK, f"{what}: mask", HINT_COMP_NO_SIGMOID, rtol=1e-5, atol=1e-6)
    expect_shape(video, (2, 2, 2, 1, 1), f"{what}: video", HINT_COMP_GENERIC)
    close(video.flatten(), COMP_VIDEO, f"{what}: video", HINT_COMP_GENERIC, rtol=1e-5, atol=1e-6,
          diagnoses=[(COMP_SWAPPED, HINT_COMP_SWAPPED)])
    close(float(penalty), 0.3 * 143 / 240, f"{what}: penalty", HINT_COMP_PENALTY_MISSING, rtol=1e-5, atol=1e-7,
          diagnoses=[(0.3 * 143 / 60, HINT_COMP_PENALTY_SUM)])
    results = sub.trusted("ganlab.grading.standins_lab5.grads_of_outputs", sub_global("vgan_composite"),
                          [fg, bg, logits, 0.3], [0, 1, 2], [0, 2], [1.0, 1.0], keep=False)
    (_, grads), (_, pgrads) = results
    check(all(g is not None for g in grads), f"{what}: no gradient reached an input.", HINT_COMP_GRADS)
    m = [[3 / 4, 1 / 3], [1 / 2, 4 / 5]]
    close(as_float_tensor(grads[0], what).flatten(), [m[b][t] for b in range(2) for _ in range(2) for t in range(2)],
          f"{what}: the gradient with respect to the foreground", HINT_COMP_GRADS, rtol=1e-5, atol=1e-6)
    close(as_float_tensor(grads[1], what).flatten(), [11 / 12, 11 / 12, 7 / 10, 7 / 10],
          f"{what}: the gradient with respect to the background", HINT_COMP_GRADS, rtol=1e-5, atol=1e-6)
    close(as_float_tensor(grads[2], what).flatten(), [0.225, 2 / 9, -0.075, 0.032],
          f"{what}: the gradient with respect to the mask logits", HINT_COMP_GRADS, rtol=1e-5, atol=1e-6)
    check(pgrads[2] is not None, f"{what}: no gradient of the penalty reached the mask logits.",
          HINT_COMP_PENALTY_MISSING)
    close(as_float_tensor(pgrads[2], what).flatten(), [0.0140625, 1 / 60, 0.01875, 0.012],
          f"{what}: the penalty's gradient with respect to the mask logits", HINT_COMP_PENALTY_MISSING, rtol=1e-5,
          atol=1e-7)
    expect_raises(sub, "ValueError", HINT_COMP_ERRORS, "vgan_composite with mask_logits of 2 channels",
                  "vgan_composite", fg, bg, torch.cat([logits, logits], 1))
    expect_raises(sub, "ValueError", HINT_COMP_ERRORS, "vgan_composite with mask_logits of 1 frame for 2",
                  "vgan_composite", fg, bg, logits[:, :, :1])
    expect_raises(sub, "ValueError", HINT_COMP_ERRORS, "vgan_composite(..., penalty_weight=-0.1)", "vgan_composite",
                  fg, bg, logits, -0.1)


# -- 4. VGANGenerator ---------------------------------------------------------------------------------------------

def record_composite(sub, net, run):
    """Run ``run()`` with the submission's vgan_composite wrapped so that its calls are recorded; returns (run's
    result, the recorded calls)."""
    sub.trusted("ganlab.grading.standins_lab8.record_globals", net, ["vgan_composite"], keep=False)
    error = None
    try:
        try:
            out = run()
        except SubmissionError as exc:
            out, error = None, exc
        calls = [c for c in sub.trusted("ganlab.grading.standins_lab8.recorded_calls", keep=False)
                 if c["name"] == "vgan_composite"]
    finally:
        sub.trusted("ganlab.grading.standins_lab8.restore_globals", keep=False)
    if error is not None:
        for call in calls:
            args = call["args"]
            if len(args) >= 2 and isinstance(args[1], dict) and args[1]["tensor"].dim() == 5:
                fail(f"the background passed to vgan_composite has shape {tuple(args[1]['tensor'].shape)}.",
                     HINT_VGAN_BACKGROUND_TIME)
        raise error
    return out, calls


def vgan_parts(sub, net, z, what):
    """parts(z) of the submission's generator and the one recorded call of its own vgan_composite: returns
    (parts as float tensors, (foreground, background, mask_logits) passed to the composite). The parts must be
    what the composite returned."""
    import torch

    out, calls = record_composite(sub, net, lambda: sub.method(net, "parts", z))
    if not isinstance(out, (tuple, list)) or len(out) != 5:
        fail(f"{what}.parts(z) returned {type(out).__name__}, expected five values.", HINT_VGAN_PARTS)
    parts = [as_float_tensor(tensor_or_fail(v, what, HINT_VGAN_PARTS), what, HINT_VGAN_PARTS) for v in out]
    check(len(calls) == 1, f"{what}.parts(z) called vgan_composite {len(calls)} times, expected once.",
          HINT_VGAN_COMPOSITE)
    args = calls[0]["args"]
    check(len(args) >= 3 and all(isinstance(a, dict) for a in args[:3]),
          f"{what}: vgan_composite was not called with three tensors.", HINT_VGAN_COMPOSITE)
    weights = args[3:] + list(calls[0]["kwargs"].values())
    check(len(weights) <= 1 and all(isinstance(w, (int, float)) and abs(w - 0.1) < 1e-12 for w in weights),
          f"{what}: vgan_composite was called with the extra arguments {weights}.", HINT_VGAN_COMPOSITE)
    fg, bg, logits = (a["tensor"].double() for a in args[:3])
    if bg.dim() == 5:
        fail(f"{what}: the background passed to vgan_composite has shape {tuple(bg.shape)}.",
             HINT_VGAN_BACKGROUND_TIME)
    returned = calls[0]["output"]
    if isinstance(returned, list) and len(returned) == 3 and all(isinstance(r, dict) for r in returned):
        video, mask, penalty = (r["tensor"].double() for r in returned)
        same = (parts[0].shape == video.shape and torch.equal(parts[0], video) and torch.equal(parts[3], mask)
                and torch.equal(parts[4].reshape(()), penalty.reshape(())))
        check(same, f"{what}.parts(z): video, mask and penalty are not what vgan_composite returned.",
              HINT_VGAN_PARTS)
    check(torch.equal(parts[1], fg) and torch.equal(parts[2], bg),
          f"{what}.parts(z): foreground and background are not the ones passed to vgan_composite.", HINT_VGAN_PARTS)
    return parts, (fg, bg, logits)


def summary(t, dims):
    """Means over ``dims`` (the spatial axes), flattened: what the stored values record of a large output."""
    return t.mean(dim=dims).flatten()


#: Stored from a trusted run: VGANGenerator(latent_dim=3, channels=2, ngf=2, size=32), parameters set by
#: ganlab.grading.standins_lab8.fill_by_kind(seed 7) on VGAN_Z, train mode: the per-(b, c, t) spatial means of the
#: foreground (64), per-(b, c) of the background (4) and per-(b, t) of the mask logits (32).
VGAN_STORED: dict = {
    "foreground": [0.1612936, 0.1437822, 0.1678184, 0.1626871, 0.1271954, 0.1770956, 0.1044252, 0.1690692, 0.1073625,
        0.1682658, 0.1184369, 0.1662672, 0.1300039, 0.1799256, 0.09464052, 0.1486501, -0.1710216, -0.08168594,
        -0.2189614, -0.06683931, -0.2226161, -0.07298001, -0.224434, -0.06095942, -0.2125766, -0.06334556, -0.2158096,
        -0.06022864, -0.2378756, -0.08558209, -0.2054829, -0.1623266, 0.1606848, 0.1467043, 0.158818, 0.1664393,
        0.1133627, 0.1677989, 0.1107561, 0.1678765, 0.1207192, 0.1731437, 0.1084562, 0.1622898, 0.125459, 0.1756398,
        0.09988509, 0.1526046, -0.1732527, -0.08420734, -0.2203925, -0.05033503, -0.2166183, -0.04621041, -0.222208,
        -0.05233072, -0.2304897, -0.06467553, -0.2148506, -0.05247007, -0.2303948, -0.06958997, -0.2129292,
        -0.1538856],
    "background": [-0.2021568, -0.03517171, -0.1952221, -0.03382089],
    "mask_logits": [0.04658735, -0.1236587, 0.06606042, -0.1281421, 0.04259276, -0.1230807, 0.03536233, -0.0974317,
        0.02525531, -0.1255825, 0.02615012, -0.1563943, 0.05862949, -0.07883343, 0.01335245, -0.04894789, 0.04813203,
        -0.1172289, 0.0656449, -0.1222776, 0.02710232, -0.1597993, 0.02995774, -0.1595412, 0.04303454, -0.1262059,
        0.02539814, -0.144143, 0.04609144, -0.1207523, 0.01668704, -0.0735184],
    "mask_tanh": [0.044167, -0.1102511, 0.06047789, -0.1064343, 0.04162036, -0.09412603, 0.03548969, -0.08093413,
        0.0251313, -0.09657843, 0.02660799, -0.1345469, 0.05591336, -0.05645956, 0.016483, -0.04691111, 0.04630133,
        -0.1047559, 0.06074806, -0.09962768, 0.0243654, -0.1216856, 0.02520173, -0.1313067, 0.03949821, -0.09516968,
        0.02557301, -0.1199998, 0.04338222, -0.08247192, 0.01514182, -0.06743587],
}


def vgan_z():
    import torch

    return torch.tensor([[0.7, -1.2, 0.4], [-0.3, 0.9, 1.5]])


@register(VGAN, points=1.5)
def vgan_streams_and_composite(sub):
    """VGANGenerator(latent_dim=3, channels=2, ngf=2, size=32) with its parameters set by the test (by layer type and shape, whatever order the streams run in), train mode, z (2, 3): foreground (2, 2, 16, 32, 32), background (2, 2, 32, 32) and mask logits (2, 1, 16, 32, 32) passed to YOUR vgan_composite as stored from a trusted run; parts(z) returns what the composite returned; forward(z) = parts(z)[0] in eval mode; size 64 with a batch of one gives 32 frames of 64 x 64; size 48 and z (2, 4) raise ValueError."""
    import torch

    what = "VGANGenerator(latent_dim=3, channels=2, ngf=2, size=32)"
    net = build(sub, "VGANGenerator", HINT_VGAN_STREAMS, latent_dim=3, channels=2, ngf=2, size=32)
    z = vgan_z()
    sub.method(net, "train", keep=False)
    vgan_parts(sub, net, z, what)   # a wrong background or composite call is named before anything else runs
    sub.trusted("ganlab.grading.standins_lab8.fill_by_kind", net, 7, z, keep=False)
    sub.method(net, "train", keep=False)
    parts, (fg, bg, logits) = vgan_parts(sub, net, z, what)
    if fg.dim() == 5 and fg.shape[2] != 16:
        fail(f"{what}: the foreground has shape {tuple(fg.shape)}.", HINT_VGAN_FRAMES)
    expect_shape(fg, (2, 2, 16, 32, 32), f"{what}: the foreground", HINT_VGAN_STREAMS)
    expect_shape(bg, (2, 2, 32, 32), f"{what}: the background", HINT_VGAN_STREAMS)
    expect_shape(logits, (2, 1, 16, 32, 32), f"{what}: the mask logits", HINT_VGAN_STREAMS)
    check(float(logits.abs().max()) > 1.0 or float(logits.min()) < 0,
          f"{what}: the mask logits are all in [0, 1).", HINT_VGAN_MASK_TANH)
    close(summary(fg, (3, 4)), VGAN_STORED["foreground"], f"{what}: the foreground's spatial means",
          HINT_VGAN_STREAMS, rtol=1e-4, atol=2e-5)
    close(summary(bg, (2, 3)), VGAN_STORED["background"], f"{what}: the background's spatial means",
          HINT_VGAN_STREAMS, rtol=1e-4, atol=2e-5)
    close(summary(logits, (3, 4)), VGAN_STORED["mask_logits"], f"{what}: the mask logits' spatial means",
          HINT_VGAN_STREAMS, rtol=1e-4, atol=2e-5, diagnoses=[(VGAN_STORED["mask_tanh"], HINT_VGAN_MASK_TANH)])
    sub.method(net, "eval", keep=False)
    parts_eval, _ = vgan_parts(sub, net, z, what)
    video = as_float_tensor(forward(sub, net, [z], what, HINT_VGAN_FORWARD), what)
    check(video.shape == parts_eval[0].shape and torch.allclose(video, parts_eval[0], atol=1e-6),
          f"{what}: forward(z) differs from parts(z)[0] in eval mode.", HINT_VGAN_FORWARD)
    what = "VGANGenerator(latent_dim=2, channels=2, ngf=1, size=64)"
    net64 = build(sub, "VGANGenerator", HINT_VGAN_STREAMS, latent_dim=2, channels=2, ngf=1, size=64)
    sub.method(net64, "eval", keep=False)
    parts64, _ = vgan_parts(sub, net64, uniform(82, 1, 2), what)
    for part, shape, name in zip(parts64, [(1, 2, 32, 64, 64), (1, 2, 32, 64, 64), (1, 2, 64, 64),
                                           (1, 1, 32, 64, 64)], ("video", "foreground", "background", "mask")):
        expect_shape(part, shape, f"{what}.parts(z (1, 2)): the {name}", HINT_VGAN_FRAMES)
    expect_new_raises(sub, "ValueError", HINT_VGAN_ERRORS, "VGANGenerator(size=48)", "VGANGenerator", latent_dim=3,
                      size=48)
    expect_method_raises(sub, net, "ValueError", HINT_VGAN_ERRORS, f"{what} on z (2, 4)", uniform(81, 2, 4))


# -- 5. VideoDiscriminator ----------------------------------------------------------------------------------------

def conv3d(cin, cout, stride, padding, bias):
    return ("Conv3d", cin, cout, (4, 4, 4), stride, padding, bias)


def video_d_plan(channels, ndf, n_layers):
    """The text's layers of VideoDiscriminator(channels, ndf, n_layers), written out."""
    plan = [conv3d(channels, ndf, (1, 2, 2), (0, 1, 1), True)]
    width = ndf
    for _level in range(1, n_layers):
        plan += [conv3d(width, 2 * width, (1, 2, 2), (0, 1, 1), False), ("BatchNorm3d", 2 * width)]
        width *= 2
    return plan + [conv3d(width, 1, (1, 1, 1), (0, 0, 0), True)]


def video_d_layers(layers):
    plan = []
    for layer in layers:
        if layer["type"] == "Conv3d":
            plan.append(("Conv3d", layer["in_channels"], layer["out_channels"], tuple(layer["kernel_size"]),
                         tuple(layer["stride"]), tuple(layer["padding"]), layer["bias"]))
        elif layer["type"].startswith("BatchNorm"):
            plan.append((layer["type"], layer["num_features"]))
        elif layer["type"] in ("Sigmoid", "Linear", "Conv2d"):
            plan.append((layer["type"],))
    return plan


def judge_video_d_layers(sub, net, x, channels, ndf, n_layers, what):
    """The layers the forward pass runs, probed on a clip of 64 frames (x's other sizes), long enough that a
    discriminator with a temporal stride still runs and can be told what differs."""
    import torch

    probe = torch.zeros(x.shape[0], x.shape[1], 64, *x.shape[3:])
    judge_video_d_plan(structure(sub, net, probe), channels, ndf, n_layers, what)


def judge_video_d_plan(layers, channels, ndf, n_layers, what):
    for layer in layers:
        if layer["type"] == "LeakyReLU" and abs(float(layer["negative_slope"]) - 0.2) > 1e-9:
            fail(f"{what}: `{layer['name']}` is a LeakyReLU with slope {layer['negative_slope']}.", HINT_SLOPE)
    got, expected = video_d_layers(layers), video_d_plan(channels, ndf, n_layers)
    if got == expected:
        return
    if any(g[0] == "Sigmoid" for g in got):
        fail(f"{what} has a Sigmoid.", HINT_VD_SIGMOID)
    if len(got) == len(expected) and any(g[0] == "Conv3d" and g[4][0] != 1 for g in got):
        fail(f"{what} runs the layers {got}, expected {expected}.", HINT_VD_TIME_STRIDE)
    if len(got) == len(expected) and all(g[:-1] == e[:-1] for g, e in zip(got, expected)):
        fail(f"{what} runs the layers {got}, expected {expected}.", HINT_BIAS_BEFORE_BN)
    fail(f"{what} runs the layers {got}, expected {expected}.", HINT_VD_LAYERS)


def judge_logit_shape(out, expected, what):
    """The logits' shape, naming a dropped or kept axis."""
    shape = tuple(out.shape)
    if shape == tuple(expected):
        return
    if len(shape) == len(expected) + 1 and shape[1] == 1:
        fail(f"{what} has shape {shape}, expected {tuple(expected)}.", HINT_VD_CHANNEL)
    if len(shape) < len(expected) and 1 in expected:
        fail(f"{what} has shape {shape}, expected {tuple(expected)}.", HINT_VD_SQUEEZE)
    fail(f"{what} has shape {shape}, expected {tuple(expected)}.", HINT_VD_LAYERS)


#: Stored from a trusted run: VideoDiscriminator(channels=2, ndf=3, n_layers=2) on VD_X (2, 2, 11, 16, 16) with
#: ganlab.grading.standins_lab5.fill_by_order(seed 13), eval then train mode: logits (2, 1, 1, 1)... see VD_SHAPE.
VD_STORED: dict = {
    "eval": [-0.3308775, -0.312219, -0.9224683, -0.1794954],
    "train": [-0.6630173, -0.8189001, -1.897032, -0.2557173],
}
VD_SHAPE = (2, 2, 1, 1)


def video_d_outputs(sub, net, x, seed, what, modes=("eval", "train")):
    sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, seed, x, keep=False)
    out = {}
    for mode in modes:
        sub.method(net, mode, keep=False)
        out[mode] = as_float_tensor(forward(sub, net, [x], f"{what} in {mode} mode", HINT_VD_LAYERS), what)
    return out


@register(VIDEO_D, points=1)
def video_d_layers_and_values(sub):
    """VideoDiscriminator(channels=2, ndf=3, n_layers=2) on (2, 2, 11, 16, 16): the text's layers (stride 1 and no padding in time, no bias before batch norm, LeakyReLU 0.2, no sigmoid), logits (2, 2, 1, 1) as stored from a trusted run in eval and train mode (parameters set by the test); n_layers=1 on the shortest clip (1, 1, 7, 8, 8) gives (1, 1, 1, 1); 9 frames with n_layers=2 and n_layers=0 raise ValueError."""
    x = uniform(91, 2, 2, 11, 16, 16)
    what = "VideoDiscriminator(channels=2, ndf=3, n_layers=2)"
    net = build(sub, "VideoDiscriminator", HINT_VD_LAYERS, channels=2, ndf=3, n_layers=2)
    judge_video_d_layers(sub, net, x, 2, 3, 2, what)
    out = video_d_outputs(sub, net, x, 13, what)
    for mode in ("eval", "train"):
        judge_logit_shape(out[mode], VD_SHAPE, f"{what}'s logits in {mode} mode")
        close(out[mode].flatten(), VD_STORED[mode], f"{what}'s logits in {mode} mode", HINT_VD_GENERIC, rtol=1e-4,
              atol=2e-5)
    what = "VideoDiscriminator(channels=1, ndf=2, n_layers=1)"
    net = build(sub, "VideoDiscriminator", HINT_VD_LAYERS, channels=1, ndf=2, n_layers=1)
    sub.method(net, "eval", keep=False)
    x1 = uniform(92, 1, 1, 7, 8, 8)
    judge_logit_shape(tensor_or_fail(sub.method(net, "__call__", x1), what, HINT_VD_LAYERS), (1, 1, 1, 1),
                      f"{what} on (1, 1, 7, 8, 8)")
    net2 = build(sub, "VideoDiscriminator", HINT_VD_LAYERS, channels=2, ndf=3, n_layers=2)
    expect_method_raises(sub, net2, "ValueError", HINT_VD_ERRORS, "VideoDiscriminator(n_layers=2) on 9 frames",
                         uniform(93, 1, 2, 9, 16, 16))
    expect_new_raises(sub, "ValueError", HINT_VD_ERRORS, "VideoDiscriminator(1, 4, 0)", "VideoDiscriminator", 1, 4, 0)


# -- 6. MotionRNN -------------------------------------------------------------------------------------------------

#: Stored from a trusted run: MotionRNN(noise_dim=4, motion_dim=3) with fill_by_order(seed 17) on RNN_EPS (2, 3, 4)
#: and RNN_H0 (2, 3): the outputs (2, 3, 3); and what the same parameters give without recurrence (every step from
#: h0), with eps[:, 0] at every step, and shifted by one (h_0 .. h_2).
RNN_STORED: dict = {
    "right": [-0.8255932, 0.7896617, -0.9278593, -0.6100953, 0.8727865, -0.835122, -0.1353304, 0.09092796, -0.5325822,
        -0.17641, -0.08548012, 0.1644707, -0.2825007, -0.01059549, 0.3888875, -0.1136458, -0.01962595, 0.4912745],
    "no_recurrence": [-0.8255932, 0.7896617, -0.9278593, -0.7009003, 0.7992288, -0.7977117, -0.302431, 0.04267854,
        -0.5259343, -0.17641, -0.08548012, 0.1644707, -0.1169702, 0.2320937, 0.1407841, 0.09224015, 0.1405925,
        0.1221709],
    "same_noise": [-0.8255932, 0.7896617, -0.9278593, -0.692952, 0.842616, -0.9428123, -0.5753068, 0.8410713,
        -0.9447719, -0.17641, -0.08548012, 0.1644707, -0.3709116, -0.2627304, 0.3865892, -0.5618244, -0.3431863,
        0.539093],
    "shifted": [-0.98703, 0.5494064, -0.8947051, -0.8255932, 0.7896617, -0.9278593, -0.6100953, 0.8727865, -0.835122,
        -0.1481645, 0.2322524, -0.1742116, -0.17641, -0.08548012, 0.1644707, -0.2825007, -0.01059549, 0.3888875],
}


@register(RNN, points=1)
def motion_rnn_values(sub):
    """MotionRNN(noise_dim=4, motion_dim=3) with its parameters set by the test: eps (2, 3, 4), h0 (2, 3) -> (2, 3, 3) as stored from a trusted run (the states h_1 .. h_3 of the GRU cell fed eps[:, t] at step t); T = 1 with a batch of 1 gives (1, 1, 3); eps with 5 noise features raises ValueError."""
    eps, h0 = uniform(101, 2, 3, 4), uniform(102, 2, 3)
    what = "MotionRNN(noise_dim=4, motion_dim=3)"
    net = build(sub, "MotionRNN", HINT_RNN_GENERIC, noise_dim=4, motion_dim=3)
    sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, 17, eps, h0, keep=False)
    out = as_float_tensor(forward(sub, net, [eps, h0], what, HINT_RNN_GENERIC), what)
    expect_shape(out, (2, 3, 3), f"{what}(eps (2, 3, 4), h0 (2, 3))", HINT_RNN_GENERIC)
    close(out.flatten(), RNN_STORED["right"], f"{what}(eps, h0)", HINT_RNN_GENERIC, rtol=1e-4, atol=1e-5,
          diagnoses=[(RNN_STORED["no_recurrence"], HINT_RNN_NO_RECURRENCE),
                     (RNN_STORED["same_noise"], HINT_RNN_SAME_NOISE), (RNN_STORED["shifted"], HINT_RNN_SHIFTED)])
    one = tensor_or_fail(sub.method(net, "__call__", eps[:1, :1], h0[:1]), what, HINT_RNN_GENERIC)
    expect_shape(one, (1, 1, 3), f"{what}(eps (1, 1, 4), h0 (1, 3))", HINT_RNN_GENERIC)
    close(as_float_tensor(one, what).flatten(), RNN_STORED["right"][:3], f"{what}(eps (1, 1, 4), h0 (1, 3))",
          HINT_RNN_GENERIC, rtol=1e-4, atol=1e-5)
    expect_method_raises(sub, net, "ValueError", HINT_RNN_ERRORS, f"{what} on eps (2, 3, 5)", uniform(103, 2, 3, 5),
                         h0)


# -- 7. MoCoGANGenerator ------------------------------------------------------------------------------------------

MOCO_DIMS = {"content_dim": 5, "motion_dim": 2, "noise_dim": 3, "num_categories": 3, "channels": 2, "ngf": 2,
             "size": 32}


def moco_with_recording_rnn(sub, dims, seed=5):
    """The submission's MoCoGANGenerator(**dims) with a recording stand-in in place of self.motion."""
    net = build(sub, "MoCoGANGenerator", HINT_MOCO_ATTRS, **dims)
    try:
        frames = sub.getattr(net, "frames", keep=True)
        latent = sub.getattr(frames, "latent_dim")
    except SubmissionError:
        fail("MoCoGANGenerator has no attribute `frames` (a FrameGenerator) with a latent_dim.", HINT_MOCO_ATTRS)
    want = dims["content_dim"] + dims["num_categories"] + dims["motion_dim"]
    check(latent == want, f"MoCoGANGenerator(**{dims}).frames takes latents of size {latent}, expected {want}.",
          HINT_MOCO_ATTRS)
    try:
        motion = sub.getattr(net, "motion", keep=True)
    except SubmissionError:
        fail("MoCoGANGenerator has no attribute `motion` (a MotionRNN).", HINT_MOCO_ATTRS)
    shapes = [tuple(t.shape) for t in sub.state(motion).get("params", {}).values()]
    gates = 3 * dims["motion_dim"]
    if dims["num_categories"] and (gates, dims["noise_dim"] + dims["num_categories"]) in shapes:
        fail(f"MoCoGANGenerator(**{dims}).motion takes inputs of size noise_dim + num_categories.",
             HINT_MOCO_CATEGORY_RNN)
    check((gates, dims["noise_dim"]) in shapes and (gates, dims["motion_dim"]) in shapes,
          f"MoCoGANGenerator(**{dims}).motion has parameters of shapes {shapes}: not a GRU cell from noise_dim to "
          "motion_dim.", HINT_MOCO_ATTRS)
    rnn = sub.trusted("ganlab.grading.standins_lab8.recording_rnn", dims["noise_dim"], dims["motion_dim"], seed)
    sub.trusted("ganlab.grading.standins_lab8.install", net, "motion", rnn, keep=False)
    return net, rnn


def judge_latents(sub, net, rnn, dims, batch, frames, categories, what, calls_before=0):
    """sample_latents' semantics: [z_C constant over t, one-hot categories constant over t, the recording RNN's
    output for the noise it got]; returns z (float64)."""
    import torch

    kwargs = {} if categories is None else {"categories": categories}
    c, k, m = dims["content_dim"], dims["num_categories"], dims["motion_dim"]
    try:
        z = sub.method(net, "sample_latents", batch, frames, **kwargs)
    except SubmissionError:
        z = None
    calls = sub.trusted("ganlab.grading.standins_lab8.rnn_calls", rnn, keep=False)[calls_before:]
    if k > 0 and any(eps.dim() == 3 and eps.shape[2] == dims["noise_dim"] + k for eps, _, _ in calls):
        fail(f"{what}: the motion RNN got noise with {dims['noise_dim'] + k} features.", HINT_MOCO_CATEGORY_RNN)
    if z is None:
        sub.method(net, "sample_latents", batch, frames, **kwargs)   # raises again, with the submission's message
    z = as_float_tensor(tensor_or_fail(z, what, HINT_MOCO_CONTENT), what)
    expect_shape(z, (batch, frames, c + k + m), what, HINT_MOCO_ORDER)
    check(len(calls) == 1, f"{what}: self.motion was called {len(calls)} times, expected once.", HINT_MOCO_MOTION)
    eps, h0, motion = calls[0]
    check(tuple(eps.shape) == (batch, frames, dims["noise_dim"]) and tuple(h0.shape) == (batch, m),
          f"{what}: the motion RNN got eps {tuple(eps.shape)} and h0 {tuple(h0.shape)}.", HINT_MOCO_MOTION)
    if frames > 1 and torch.equal(eps, eps[:, :1].expand_as(eps)):
        fail(f"{what}: the noise is the same at every step.", HINT_MOCO_SAME_NOISE)
    content = z[:, :, :c]
    if frames > 1 and not torch.equal(content, content[:, :1].expand_as(content)):
        if torch.equal(z[:, :, -c:], z[:, :1, -c:].expand_as(z[:, :, -c:])):
            fail(f"{what}: z is not ordered [z_C, z_A, z_M].", HINT_MOCO_ORDER)
        fail(f"{what}: z[:, :, :content_dim] changes over the frames.", HINT_MOCO_CONTENT)
    if batch > 1:
        check(not torch.equal(content[0], content[1]), f"{what}: two videos have the same content code.",
              HINT_MOCO_CONTENT_SHARED)
    motion_part = z[:, :, c + k:]
    check(torch.allclose(motion_part, motion.double(), atol=1e-6),
          f"{what}: z[:, :, -motion_dim:] is not your motion RNN's output.", HINT_MOCO_MOTION)
    if k > 0:
        cat = z[:, :, c:c + k]
        check(torch.equal(cat, cat[:, :1].expand_as(cat)) and bool(((cat == 0) | (cat == 1)).all())
              and torch.equal(cat.sum(-1), torch.ones(batch, frames, dtype=cat.dtype)),
              f"{what}: z[:, :, content_dim:content_dim + num_categories] is not one one-hot per video.",
              HINT_MOCO_CATEGORY)
        if categories is not None:
            check(torch.equal(cat[:, 0].argmax(-1), categories.long()),
                  f"{what}: the one-hot parts do not match the categories given.", HINT_MOCO_CATEGORY)
    return z


def judge_moco_forward(sub, net, z, what):
    """forward(z) in eval mode against the submission's own self.frames applied frame by frame."""
    import torch

    sub.method(net, "eval", keep=False)
    expected = as_float_tensor(sub.trusted("ganlab.grading.standins_lab8.frames_reference", net, z, keep=False),
                               what)
    got = as_float_tensor(tensor_or_fail(sub.method(net, "__call__", z), what, HINT_MOCO_FORWARD), what)
    if got.shape != expected.shape:
        if got.shape == expected.transpose(1, 2).shape:
            fail(f"{what}: forward(z) has shape {tuple(got.shape)}, expected {tuple(expected.shape)}.",
                 HINT_MOCO_AXES)
        fail(f"{what}: forward(z) has shape {tuple(got.shape)}, expected {tuple(expected.shape)}.", HINT_MOCO_FORWARD)
    if not torch.allclose(got, expected, rtol=1e-4, atol=1e-5):
        fail(f"{what}: forward(z) does not place frame b * T + t at video[b, :, t].", HINT_MOCO_RESHAPE)


@register(MOCO, points=1.5)
def mocogan_latents_forward_and_sample(sub):
    """MoCoGANGenerator(content_dim=5, motion_dim=2, noise_dim=3, num_categories=3, channels=2, ngf=2) with a recording stand-in as self.motion: sample_latents(3, 4, categories [2, 0, 1]) is (3, 4, 10) = [z_C constant over the frames and different per video, the one-hot categories on every frame, the stand-in's output for the (3, 4, 3) noise and (3, 2) h0 it got (noise not repeated over steps, no category in it)]; without categories a valid one-hot per video; the same seeded generator gives the same z; forward(z) is (B, C, T, H, W) with video[b, :, t] = self.frames(z[b, t]) (eval mode); sample(2, 5) returns (video, z) with video = forward(z)."""
    import torch

    dims = dict(MOCO_DIMS)
    what = "MoCoGANGenerator(content_dim=5, motion_dim=2, noise_dim=3, num_categories=3, channels=2, ngf=2)"
    net, rnn = moco_with_recording_rnn(sub, dims)
    cats = torch.tensor([2, 0, 1])
    z = judge_latents(sub, net, rnn, dims, 3, 4, cats, f"{what}.sample_latents(3, 4, categories=[2, 0, 1])")
    judge_latents(sub, net, rnn, dims, 2, 3, None, f"{what}.sample_latents(2, 3)", calls_before=1)
    same = []
    for _ in range(2):
        g = sub.trusted("torch.Generator")
        sub.method(g, "manual_seed", 7, keep=False)
        same.append(as_float_tensor(sub.method(net, "sample_latents", 2, 3, generator=g), what))
    check(torch.equal(same[0], same[1]), f"{what}.sample_latents(2, 3, generator=...): the same seed gave other "
          "latents.", HINT_MOCO_GENERATOR)
    judge_moco_forward(sub, net, z.float(), what)
    out = sub.method(net, "sample", 2, 5)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"{what}.sample(2, 5) returned {type(out).__name__}, expected (video, z).", HINT_MOCO_SAMPLE)
    video, z2 = (as_float_tensor(tensor_or_fail(v, what, HINT_MOCO_SAMPLE), what) for v in out)
    expect_shape(z2, (2, 5, 10), f"{what}.sample(2, 5)'s z", HINT_MOCO_SAMPLE)
    again = as_float_tensor(sub.method(net, "__call__", z2.float()), what)
    check(video.shape == again.shape and torch.allclose(video, again, rtol=1e-4, atol=1e-5),
          f"{what}.sample(2, 5): the video is not forward(z) of the z returned.", HINT_MOCO_SAMPLE)


# -- 8-9. the samplers -------------------------------------------------------------------------------------------

def draws(sub, name, video, calls, seed, *args):
    what = f"{name}(video {tuple(video.shape)}{''.join(f', {a}' for a in args)}, generator=...)"
    sub.call(name, video, *args)   # a NotImplementedError or crash is reported under the submission's own name
    out = sub.trusted("ganlab.grading.standins_lab8.repeated_draws", sub_global(name), video, calls, seed, *args,
                      keep=False)
    return as_float_tensor(out, what), what


def judge_sampler_grad(sub, name, video, args, picked_ok, what):
    """The gradient of sum(output) reaches the video: 1 on the sampled elements (each once), 0 elsewhere."""
    results = sub.trusted("ganlab.grading.standins_lab5.grads_of_outputs", sub_global(name), [video, *args], [0], [0],
                          [1.0], keep=False)
    (_, grads), = results
    check(grads[0] is not None, f"{what}: no gradient reached the video.", HINT_SAMPLER_GRAD)
    g = as_float_tensor(grads[0], what)
    check(bool(((g == 0) | (g == 1)).all()) and picked_ok(g), f"{what}: the gradient is not 1 on the sampled "
          "elements and 0 elsewhere.", HINT_SAMPLER_GRAD)


def judge_frame_draws(sub, video, calls, seed, what_hint=HINT_FRAMES_GENERIC):
    """Draw ``calls`` times; every output a frame of its own video; returns the indices (calls, B)."""
    out, what = draws(sub, "sample_frames", video, calls, seed)
    b, c, t, h, w = video.shape
    if out.shape[1:] != (b, c, h, w):
        shape = tuple(out.shape[1:])
        hint = HINT_FRAMES_SQUEEZE if len(shape) < 4 else what_hint
        fail(f"{what} returned shape {shape}, expected {(b, c, h, w)}.", hint)
    return [frame_indices(o, video.double(), what, what_hint) for o in out], what


@register(FRAMES, points=0.5)
def frames_are_frames_of_their_video(sub):
    """video (3, 2, 4, 2, 3) whose frames are all different: 40 draws with a seeded generator give (3, 2, 2, 3) outputs whose rows are frames of their own video; every index 0..3 is drawn for every video; the videos do not all share one index; the same seed gives the same draws; the gradient of the sum is 1 on the chosen frames; a batch of one with C = 1 gives (1, 1, 2, 3)."""
    video = coded_video(3, 2, 4, 2, 3)
    idx, what = judge_frame_draws(sub, video, 40, 3)
    for b in range(3):
        seen = {row[b] for row in idx}
        check(seen == set(range(4)), f"{what}: video {b} got the frame indices {sorted(seen)} in 40 draws.",
              HINT_FRAMES_RANGE)
    check(any(len(set(row)) > 1 for row in idx), f"{what}: every draw gave all videos the same frame.",
          HINT_FRAMES_SAME)
    idx2, _ = judge_frame_draws(sub, video, 40, 3)
    check(idx == idx2, f"{what}: the same seeded generator gave other frames.", HINT_SAMPLER_GENERATOR)
    judge_sampler_grad(sub, "sample_frames", video, [], lambda g: float(g.sum()) == 3 * 2 * 2 * 3,
                       "sample_frames(video (3, 2, 4, 2, 3))")
    one = coded_video(1, 1, 3, 2, 3)
    out = tensor_or_fail(sub.call("sample_frames", one), "sample_frames", HINT_FRAMES_GENERIC)
    if tuple(out.shape) != (1, 1, 2, 3):
        fail(f"sample_frames(video (1, 1, 3, 2, 3)) has shape {tuple(out.shape)}, expected (1, 1, 2, 3).",
             HINT_FRAMES_SQUEEZE)
    frame_indices(as_float_tensor(out, "sample_frames"), one.double(), "sample_frames(video (1, 1, 3, 2, 3))",
                  HINT_FRAMES_GENERIC)


def judge_clip_draws(sub, video, length, calls, seed):
    out, what = draws(sub, "sample_clips", video, calls, seed, length)
    b, c, t, h, w = video.shape
    if out.shape[1:] != (b, c, length, h, w):
        fail(f"{what} returned shape {tuple(out.shape[1:])}, expected {(b, c, length, h, w)}.", HINT_CLIPS_GENERIC)
    return [clip_starts(o, video.double(), length, what, HINT_CLIPS_GENERIC) for o in out], what


@register(CLIPS, points=0.5)
def clips_are_contiguous_and_reach_the_last_start(sub):
    """video (3, 2, 5, 2, 2) whose frames are all different, clip_length 3: 40 draws with a seeded generator give (3, 2, 3, 2, 2) contiguous clips of their own video; every start 0, 1, 2 (the last one included) is drawn for every video; the videos do not all share one start; the same seed gives the same clips; the gradient of the sum counts how many clips hold each frame; clip_length 6 and 0 raise ValueError."""
    video = coded_video(3, 2, 5, 2, 2)
    starts, what = judge_clip_draws(sub, video, 3, 40, 4)
    for b in range(3):
        seen = {row[b] for row in starts}
        if seen == {0, 1}:
            fail(f"{what}: video {b} got the starts {sorted(seen)} in 40 draws.", HINT_CLIPS_LAST_START)
        check(seen == {0, 1, 2}, f"{what}: video {b} got the starts {sorted(seen)} in 40 draws.", HINT_CLIPS_GENERIC)
    check(any(len(set(row)) > 1 for row in starts), f"{what}: every draw gave all videos the same start.",
          HINT_CLIPS_SAME)
    starts2, _ = judge_clip_draws(sub, video, 3, 40, 4)
    check(starts == starts2, f"{what}: the same seeded generator gave other clips.", HINT_SAMPLER_GENERATOR)
    judge_sampler_grad(sub, "sample_clips", video, [3], lambda g: float(g.sum()) == 3 * 2 * 3 * 2 * 2,
                       "sample_clips(video (3, 2, 5, 2, 2), 3)")
    for bad in (6, 0):
        expect_raises(sub, "ValueError", HINT_CLIPS_ERRORS, f"sample_clips(video with T = 5, {bad})", "sample_clips",
                      video, bad)


# -- 10. mocogan_step ---------------------------------------------------------------------------------------------

STEP_C, STEP_SIZE = 2, 3


def step_setup(sub, seed, kind="adam", lr=0.05):
    """Recording stand-ins: G (positive videos), D_image ((B,) logits) and D_video ((B, 2) logits), accepting any
    input shape so that a mistake is recorded and named; trusted optimizers of ``kind``."""
    gen = sub.trusted("ganlab.grading.standins_lab8.step_generator", STEP_C, STEP_SIZE, seed)
    d_image = sub.trusted("ganlab.grading.standins_lab8.step_discriminator", 1, seed + 1)
    d_video = sub.trusted("ganlab.grading.standins_lab8.step_discriminator", 2, seed + 2)
    opts = [make_optimizer(sub, net, kind, lr) for net in (gen, d_image, d_video)]
    return gen, d_image, d_video, opts


def step_real(seed, batch, frames):
    """Real videos with NEGATIVE values (the stand-in G's are positive), every frame distinct."""
    return uniform(700 + seed, batch, STEP_C, frames, STEP_SIZE, STEP_SIZE, low=-0.9, high=-0.1)


def call_step(sub, nets, opts, x, clip_length):
    gen, d_image, d_video = nets
    args = [gen, d_image, d_video, *opts, x] + ([] if clip_length is None else [clip_length])
    sub.trusted("ganlab.grading.standins_lab8.record_globals", sub_global("mocogan_step"),
                ["sample_frames", "sample_clips"], keep=False)
    try:
        try:
            out = sub.call("mocogan_step", *args)
        except SubmissionError as exc:
            if "backward through the graph a second time" in str(exc):
                fail(f"mocogan_step raised: {exc}", HINT_STEP_DETACH)
            raise
        samples = sub.trusted("ganlab.grading.standins_lab8.recorded_calls", keep=False)
    finally:
        sub.trusted("ganlab.grading.standins_lab8.restore_globals", keep=False)
    keys = {"loss_d_image", "loss_d_video", "loss_g_image", "loss_g_video"}
    if not isinstance(out, dict) or set(out) != keys:
        fail(f"mocogan_step returned {out if not isinstance(out, dict) else sorted(out)!r}.", HINT_STEP_DICT)
    if not all(isinstance(v, float) and math.isfinite(v) for v in out.values()):
        fail(f"mocogan_step returned {out!r}: the values must be finite Python floats.", HINT_STEP_DICT)
    return out, samples


def bce_mean(logits, target):
    """PyTorch's mean BCE-with-logits of recorded logits against a constant target, in float64."""
    import torch
    import torch.nn.functional as F

    x = logits.double()
    return float(F.binary_cross_entropy_with_logits(x, torch.full_like(x, float(target))))


def split_calls(records, what, kind):
    """A discriminator's recorded calls sorted into (real, D-step fake, G-step fake), naming the mistake when they
    are not one real call and two fake calls (fake values are positive, real ones negative)."""
    real = [r for r in records if bool((r["input"] < 0).all())]
    fake = [r for r in records if bool((r["input"] > 0).all())]
    check(len(real) + len(fake) == len(records), f"{what}: {kind} got an input mixing real and fake videos.",
          HINT_STEP_CALLS)
    check(len(real) == 1 and len(fake) == 2, f"{what}: {kind} judged {len(real)} real and {len(fake)} fake batches, "
          "expected 1 and 2 (D step, then G step).", HINT_STEP_CALLS)
    d_fake, g_fake = fake
    check(not d_fake["requires_grad"], f"{what}: the fake batch of {kind}'s step carries a graph to G.",
          HINT_STEP_DETACH)
    check(g_fake["requires_grad"], f"{what}: the G step's fake batch for {kind} carries no graph to G.",
          HINT_STEP_NO_G_GRAD)
    check(d_fake["fingerprint"] == real[0]["fingerprint"], f"{what}: {kind} changed between its real and fake batch.",
          HINT_STEP_ORDER)
    check(g_fake["fingerprint"] != real[0]["fingerprint"], f"{what}: the G step ran through {kind} before its update.",
          HINT_STEP_ORDER)
    return real[0], d_fake, g_fake


def judge_inputs(records, samples, length, what):
    """The discriminators' inputs: each the output of one of YOUR sampler calls (frames for D_image, clips of
    ``length`` frames for D_video), naming the mistake when a discriminator got the other sampler's output."""
    import torch

    outputs: dict = {"sample_frames": [], "sample_clips": []}
    for call in samples:
        out = call["output"]
        if isinstance(out, dict):
            outputs.setdefault(call["name"], []).append((out["tensor"], call["args"]))

    def source(x):
        for name, outs in outputs.items():
            for tensor, args in outs:
                if tensor.shape == x.shape and torch.equal(tensor, x):
                    return name, args
        return None, None

    d_image, d_video = records
    for r in d_image:
        name, _ = source(r["input"])
        if name == "sample_clips" or (name is None and r["input"].dim() == 5):
            fail(f"{what}: D_image got an input of shape {tuple(r['input'].shape)}.", HINT_STEP_IMAGE_D_CLIPS)
        check(name == "sample_frames", f"{what}: D_image got an input that none of your sample_frames calls "
              "returned.", HINT_STEP_OWN_SAMPLERS)
    for r in d_video:
        name, args = source(r["input"])
        if name == "sample_frames" or (name is None and r["input"].dim() == 4):
            fail(f"{what}: D_video got an input of shape {tuple(r['input'].shape)}.", HINT_STEP_VIDEO_D_FRAMES)
        check(name == "sample_clips", f"{what}: D_video got an input that none of your sample_clips calls "
              "returned.", HINT_STEP_OWN_SAMPLERS)
        asked = args[1] if len(args) > 1 else None
        check(asked == length, f"{what}: D_video's clips were drawn with clip_length {asked}, expected {length}.",
              HINT_STEP_CLIP_LENGTH)


def judge_losses(out, parts, what):
    (ri, di, gi), (rv, dv, gv) = parts
    close(out["loss_d_image"], bce_mean(ri["logits"], 1) + bce_mean(di["logits"], 0), f"{what}: loss_d_image",
          HINT_STEP_D_LOSS, rtol=1e-5, atol=1e-6)
    close(out["loss_d_video"], bce_mean(rv["logits"], 1) + bce_mean(dv["logits"], 0), f"{what}: loss_d_video",
          HINT_STEP_D_LOSS, rtol=1e-5, atol=1e-6)
    for key, rec in (("loss_g_image", gi), ("loss_g_video", gv)):
        close(out[key], bce_mean(rec["logits"], 1), f"{what}: {key}", HINT_STEP_G_LOSS, rtol=1e-5, atol=1e-6,
              diagnoses=[(-bce_mean(rec["logits"], 0), HINT_STEP_G_LOSS)])


def step_case(sub, seed, kind, lr, batch, frames, clip_length=None, stale=False, eval_first=False):
    """Run mocogan_step once on fresh stand-ins (in eval mode when ``eval_first``) and judge what it did; returns
    (out, nets, opts, x, records, before)."""
    gen, d_image, d_video, opts = step_setup(sub, seed, kind, lr)
    nets = (gen, d_image, d_video)
    if eval_first:
        for net in nets:
            sub.method(net, "eval", keep=False)
    if stale:
        for net, value in zip(nets, (0.5, -0.3, 0.2)):
            sub.trusted("ganlab.grading.standins.fill_grads", net, value, keep=False)
    x = step_real(seed, batch, frames)
    before = [params_of(sub, n) for n in nets]
    what = f"mocogan_step (batch {batch}, T = {frames}, clip_length {clip_length}, {kind})"
    out, samples = call_step(sub, nets, opts, x, clip_length)
    calls = sub.getattr(gen, "calls")
    check(len(calls) == 1 and calls[0][:2] == (batch, frames), f"{what}: G.sample was called as {calls}.",
          HINT_STEP_SAMPLE)
    count = sub.getattr(gen, "backward_count")
    check(count >= 1, f"{what}: no gradient reached G's video.", HINT_STEP_NO_G_GRAD)
    records = [sub.getattr(d_image, "records"), sub.getattr(d_video, "records")]
    length = frames if clip_length is None else clip_length
    judge_inputs(records, samples, length, what)
    parts = [split_calls(records[0], what, "D_image"), split_calls(records[1], what, "D_video")]
    judge_losses(out, parts, what)
    check(all(c[2] for c in calls) and all(r["training"] for rec in records for r in rec)
          and all(sub.state(n)["training"] for n in nets), f"{what}: a network ran or was left in evaluation mode.",
          HINT_STEP_MODE)
    return out, nets, opts, x, records, before


@register(STEP, points=1.5)
def step_inputs_detach_order_and_losses(sub):
    """Recording stand-ins, Adam, batch 2, T = 5, clip_length 3: one G.sample(2, 5); D_image gets frames and D_video clips of 3 frames, each returned by YOUR sample_frames / sample_clips; each discriminator judges the real and the detached fake batch before its update and the fake with its graph after it; the four floats are the BCE-with-logits losses of those logits; all three networks change and stay in train mode; again with momentum, batch 3, T = 4 and the default clip length (T)."""
    for seed, kind, batch, frames, length in ((0, "adam", 2, 5, 3), (1, "momentum", 3, 4, None)):
        _, nets, _, _, _, before = step_case(sub, seed, kind, 0.05, batch, frames, clip_length=length)
        for name, net, b in zip(("G", "D_image", "D_video"), nets, before):
            after = params_of(sub, net)
            check(any(not (after[n] == b[n]).all() for n in after), f"{name}'s parameters did not change.",
                  HINT_STEP_NOT_MOVED)
