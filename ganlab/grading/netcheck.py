"""Judge a network by what it computes, not by proxies.

Shapes and parameter counts let wrong networks through (a ReLU where the text asks for a LeakyReLU, a Sigmoid
instead of a Tanh, a missing batch norm with a bias added back) and can reject right ones (another
initialisation). The tests here:

- :func:`functional_compare` copies the submission's parameters and buffers into a *trusted* reference
  architecture (built in the test's process, never in the submission's), matched by the order in which the
  forward pass uses them and by shape, whatever their names; then it runs the submission's network and the
  reference on the same seeded inputs, in eval and in train mode, and compares the outputs (and the batch-norm
  running statistics that the train-mode pass updates).
- :func:`structure` lists the leaf layers in the order the forward pass calls them, with the settings a text
  can ask for (kernel, stride, padding, bias, negative slope, norm affine/eps/momentum), so a test can name
  the layer that differs.

Both run the same way in a notebook (``LocalSubmission``) and in the grader (the sandboxed worker), where
only :func:`execution_order` and :func:`describe_layers` run inside the submission's process.
"""

from __future__ import annotations

import contextlib
from typing import Callable, Sequence

from ganlab.grading.testing import CheckFailure, Ref, Submission, as_float_tensor, fail

__all__ = ["execution_order", "describe_layers", "structure", "load_by_order", "functional_compare",
           "expect_layers"]

# Hints are constants: the grader shows a hidden test's hint only when it is a string literal of the test API
# (never text built at run time), see autograder.runner.allowed_hints.
HINT_LAYERS = "the network's layers differ from the ones asked for (a layer or a bias missing or added)"
HINT_LAYER_SIZE = "a layer of the network has the wrong size (check channels, kernel size and bias)"
HINT_OUTPUT_SHAPE = "the network returns the wrong shape"
HINT_COMPUTES = ("the network computes something else than the architecture asked for (an activation, a norm or "
                 "the layer order)")
HINT_BN_STATS = "a batch norm of the network updates its running statistics differently (momentum?)"

#: Settings read from each layer type (attributes of the PyTorch modules of that name).
_SETTINGS = {
    "Conv1d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups"),
    "Conv2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups"),
    "Conv3d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups"),
    "ConvTranspose1d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding"),
    "ConvTranspose2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding"),
    "ConvTranspose3d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding"),
    "Linear": ("in_features", "out_features"),
    "Embedding": ("num_embeddings", "embedding_dim"),
    "BatchNorm1d": ("num_features", "eps", "momentum", "affine", "track_running_stats"),
    "BatchNorm2d": ("num_features", "eps", "momentum", "affine", "track_running_stats"),
    "BatchNorm3d": ("num_features", "eps", "momentum", "affine", "track_running_stats"),
    "InstanceNorm2d": ("num_features", "eps", "affine", "track_running_stats"),
    "InstanceNorm3d": ("num_features", "eps", "affine", "track_running_stats"),
    "LeakyReLU": ("negative_slope",),
    "Dropout": ("p",),
    "Dropout2d": ("p",),
    "Dropout3d": ("p",),
    "Upsample": ("scale_factor", "mode"),
    "ReflectionPad2d": ("padding",),
}


# -- run inside the submission's process (trusted code, plain results) ---------------------------------------


@contextlib.contextmanager
def one_thread():
    """Run a test's own forward passes on one thread: small convolutions on two threads of a shared CPU are many
    times slower than on one (thread contention), and the submission's worker already runs on one."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def on_one_thread(fn: Callable):
    """``fn()`` under :func:`one_thread`; returns its result."""
    with one_thread():
        return fn()


def execution_order(module, *inputs) -> list[str]:
    """Names of ``module``'s sub-modules in the order a forward pass on ``inputs`` first calls them.

    Runs one forward pass under ``no_grad`` in the module's current mode and restores the running statistics
    of every batch norm afterwards, so the probe leaves no trace. Modules the pass never calls are appended in
    definition order.
    """
    import torch

    order: list[str] = []
    names = {id(m): n for n, m in module.named_modules()}
    hooks = []

    def seen(mod, _inputs):
        name = names.get(id(mod))
        if name is not None and name not in order:
            order.append(name)

    for m in module.modules():
        hooks.append(m.register_forward_pre_hook(seen))
    saved = {n: b.detach().clone() for n, b in module.named_buffers()}
    try:
        with torch.no_grad():
            module(*inputs)
    finally:
        for h in hooks:
            h.remove()
        with torch.no_grad():
            for n, b in module.named_buffers():
                if n in saved:
                    b.copy_(saved[n])
    order += [n for n, _ in module.named_modules() if n not in order]
    return order


def describe_layers(module, *inputs) -> list[dict]:
    """The leaf layers of ``module`` in forward order (see :func:`execution_order`), with their settings."""
    mods = dict(module.named_modules())
    out = []
    for name in execution_order(module, *inputs):
        m = mods[name]
        if any(True for _ in m.children()):
            continue
        kind = type(m).__name__
        info: dict = {"name": name, "type": kind}
        for attr in _SETTINGS.get(kind, ()):
            value = getattr(m, attr, None)
            if isinstance(value, (tuple, list)):
                value = tuple(value)
            info[attr] = value
        if kind.startswith(("Conv", "Linear")):
            info["bias"] = getattr(m, "bias", None) is not None
        out.append(info)
    return out


def _ordered_tensors(module, order: Sequence[str]):
    """(kind, qualified name, tensor) for parameters then buffers, grouped by module in ``order``."""
    mods = dict(module.named_modules())
    params, buffers = [], []
    for name in order:
        m = mods.get(name)
        if m is None:
            continue
        prefix = f"{name}." if name else ""
        params += [(f"{prefix}{n}", p) for n, p in m.named_parameters(recurse=False)]
        buffers += [(f"{prefix}{n}", b) for n, b in m.named_buffers(recurse=False)]
    return params, buffers


# -- run in the test's process -------------------------------------------------------------------------------


def structure(sub: Submission, ref: Ref, *inputs) -> list[dict]:
    """:func:`describe_layers` of the submission's network ``ref``, run on ``inputs``."""
    return sub.trusted("ganlab.grading.netcheck.describe_layers", ref, *inputs, keep=False)


def expect_layers(layers: list[dict], what: str, kind: str, count: int | None = None, hint: str = "",
                  **settings) -> list[dict]:
    """Fail unless ``layers`` holds layers of type ``kind`` (``count`` of them when given) with ``settings``."""
    found = [layer for layer in layers if layer["type"] == kind]
    if count is not None and len(found) != count:
        fail(f"{what} has {len(found)} {kind} layer(s) in its forward pass, expected {count}.", hint)
    for layer in found:
        for key, want in settings.items():
            got = layer.get(key)
            ok = abs(float(got) - float(want)) <= 1e-9 if isinstance(want, float) and got is not None else got == want
            if not ok:
                fail(f"{what}: layer `{layer['name']}` ({kind}) has {key}={got!r}, expected {want!r}.", hint)
    return found


def load_by_order(reference, reference_order: Sequence[str], state: dict, order: Sequence[str], what: str) -> None:
    """Copy the submission's parameters and buffers (``state`` from ``sub.state``) into ``reference``.

    ``order`` is the submission's :func:`execution_order` and ``reference_order`` the reference's, on the same
    inputs. Tensors are matched by position and must
    agree in shape; a difference is reported as a structural mistake naming both layers.
    """
    import torch

    sub_params = _by_module(state.get("params", {}), order)
    sub_buffers = _by_module(state.get("buffers", {}), order)
    ref_params, ref_buffers = _ordered_tensors(reference, reference_order)
    for kind, mine, theirs in (("parameter", ref_params, sub_params), ("buffer", ref_buffers, sub_buffers)):
        theirs = [(n, t) for n, t in theirs if not (kind == "buffer" and n.endswith("num_batches_tracked"))]
        mine = [(n, t) for n, t in mine if not (kind == "buffer" and n.endswith("num_batches_tracked"))]
        if len(mine) != len(theirs):
            fail(f"{what} has {len(theirs)} {kind} tensors, the expected architecture has {len(mine)}: "
                 f"{_shapes(theirs)} vs {_shapes(mine)}.",
                 HINT_LAYERS)
        for (rn, rt), (sn, st) in zip(mine, theirs):
            if not isinstance(st, torch.Tensor) or tuple(st.shape) != tuple(rt.shape):
                shape = tuple(st.shape) if isinstance(st, torch.Tensor) else type(st).__name__
                fail(f"{what}: {kind} `{sn}` has shape {shape} where the expected architecture has "
                     f"{tuple(rt.shape)} (at its layer `{rn}`).",
                     HINT_LAYER_SIZE)
            with torch.no_grad():
                rt.copy_(st.to(rt.dtype))


def _by_module(tensors: dict, order: Sequence[str]):
    """Order ``{qualified name: tensor}`` by the module that owns each tensor, following ``order``."""
    rank = {name: i for i, name in enumerate(order)}

    def owner(qualified: str) -> int:
        mod = qualified.rsplit(".", 1)[0] if "." in qualified else ""
        return rank.get(mod, len(rank))

    indexed = sorted(enumerate(tensors.items()), key=lambda item: (owner(item[1][0]), item[0]))
    return [kv for _, kv in indexed]


def _shapes(items) -> str:
    shapes = [tuple(t.shape) if hasattr(t, "shape") else "?" for _, t in items]
    text = ", ".join(str(s) for s in shapes[:8])
    return f"[{text}{', ...' if len(shapes) > 8 else ''}]"


def functional_compare(sub: Submission, ref: Ref, reference, inputs: Sequence, what: str,
                       modes: Sequence[str] = ("eval", "train"), rtol: float = 1e-4, atol: float = 1e-5,
                       diagnoses: Sequence[tuple[Callable, str]] = (), output: Callable | None = None) -> None:
    """Fail unless the submission's network ``ref`` computes what the trusted ``reference`` computes.

    ``reference`` is a freshly built ``torch.nn.Module`` of the expected architecture. Its parameters and
    buffers are replaced by the submission's (see :func:`load_by_order`), so initialisation never matters.
    ``inputs`` are the forward pass's positional arguments. Each mode in ``modes`` runs both networks and
    compares outputs (``output`` picks the tensor to compare from what forward returns); after the train-mode
    pass the batch-norm running statistics are compared too. ``diagnoses`` pairs a function building a
    *wrong* architecture (same parameters) with the hint to show when the submission computes what it does.
    """
    import torch

    order = sub.trusted("ganlab.grading.netcheck.execution_order", ref, *inputs, keep=False)
    state = sub.state(ref)
    reference_order = execution_order(reference, *inputs)
    load_by_order(reference, reference_order, state, order, what)
    wrongs = []
    for build, hint in diagnoses:
        try:
            wrong = build()
            load_by_order(wrong, execution_order(wrong, *inputs), state, order, what)
            wrongs.append((wrong, hint))
        except CheckFailure:
            continue
    pick = output or (lambda value: value)
    for mode in modes:
        sub.method(ref, mode)
        got = pick(sub.method(ref, "__call__", *inputs))
        for net in [reference, *(w for w, _ in wrongs)]:
            getattr(net, mode)()
        with torch.no_grad():
            expected = pick(reference(*inputs))
        act = as_float_tensor(got, f"{what}'s output in {mode} mode")
        exp = expected.detach().to(torch.float64)
        if tuple(act.shape) != tuple(exp.shape):
            fail(f"{what}'s output in {mode} mode has shape {tuple(act.shape)}, expected {tuple(exp.shape)}.",
                 HINT_OUTPUT_SHAPE)
        if torch.allclose(act, exp, rtol=rtol, atol=atol):
            continue
        for wrong, hint in wrongs:
            with torch.no_grad():
                w = pick(wrong(*inputs)).detach().to(torch.float64)
            if w.shape == act.shape and torch.allclose(act, w, rtol=rtol, atol=atol):
                fail(f"{what} computes something else than asked in {mode} mode. {hint}", hint)
        err = float((act - exp).abs().max())
        fail(f"{what} computes something else than the expected architecture with the same parameters in {mode} "
             f"mode (largest difference {err:.3g}): a layer, an activation or a norm setting differs from the text.",
             HINT_COMPUTES)
    if "train" in modes:
        after = sub.state(ref).get("buffers", {})
        _, ref_buffers = _ordered_tensors(reference, reference_order)
        sub_buffers = [(n, t) for n, t in _by_module(after, order) if not n.endswith("num_batches_tracked")]
        ref_buffers = [(n, t) for n, t in ref_buffers if not n.endswith("num_batches_tracked")]
        for (rn, rt), (sn, st) in zip(ref_buffers, sub_buffers):
            if not torch.allclose(as_float_tensor(st, sn), rt.detach().to(torch.float64), rtol=rtol, atol=atol):
                fail(f"{what}: after one train-mode pass the buffer `{sn}` differs from the expected one "
                     "(batch-norm momentum or running statistics).",
                     HINT_BN_STATS)
