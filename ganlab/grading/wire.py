"""The grader <-> worker wire format: JSON for structure, raw bytes for tensors.

Nothing read from the worker is ever unpickled: the header is JSON, and tensors travel as their raw bytes
described by a JSON manifest of ``[key, dtype, shape]`` entries (a dtype from a fixed list, bounded shapes).
The grader checks the manifest before it materialises anything: every tensor's element count, the total, and
that the bytes that follow are exactly what the manifest claims (a 2 KB frame cannot claim a gigabyte).
Objects that cannot be encoded (modules, optimizers, functions) stay in the worker and travel as references.

A frame is ``len(8 bytes) | len(header, 8 bytes) | header JSON [| len(manifest, 8 bytes) | manifest JSON |
tensor bytes]``. (Until 2026-11-30 the tensors travelled as a ``torch.save`` blob read back with
``torch.load(weights_only=True)``: about 1 ms per frame on each side, most of a grade's round trips.)
"""

from __future__ import annotations

import json
import math
import os
import struct
from dataclasses import dataclass

#: A frame larger than this is refused (a submission cannot flood the grader).
MAX_FRAME_BYTES = 512 * 1024 * 1024
MAX_STRING = 10_000
#: Integers in a header are bounded (a reply of a few thousand digits must not cost the grader anything).
MAX_INT_DIGITS = 40
#: What one reply's tensors may claim, checked before any of them is used (a stride-0 tensor of 2 KB can
#: claim billions of elements; materialising it would cost the grader gigabytes).
MAX_TENSOR_ELEMENTS = 64 * 1024 * 1024
MAX_TENSOR_BYTES = 512 * 1024 * 1024
MAX_TENSORS = 10_000
MAX_DEPTH = 64
MAX_DIMS = 64
#: The element types that may travel (torch's names).
DTYPES = ("float16", "bfloat16", "float32", "float64", "complex64", "complex128", "uint8", "int8", "int16",
          "int32", "int64", "bool")


class WireError(Exception):
    """A malformed or oversized frame."""


@dataclass(frozen=True)
class Ref:
    """A reference to an object kept in the worker (a module, optimizer, function...)."""

    id: int
    type: str = "object"

    def __repr__(self) -> str:
        return f"<{self.type} in submission #{self.id}>"


@dataclass(frozen=True)
class Global:
    """A top-level name of the submission (a function or class), used as an argument."""

    name: str


@dataclass(frozen=True)
class Trusted:
    """A callable from a trusted module (``torch``, ``ganlab``, ``math``), e.g. ``torch.optim.SGD``."""

    qualname: str


def _number(v):
    if isinstance(v, float) and not math.isfinite(v):
        return {"__float__": repr(v)}
    return v


def encode(value, tensors: dict, keep=None):
    """Turn ``value`` into JSON-able structure, moving tensors into ``tensors``.

    ``keep(obj) -> Ref`` stores an unencodable object and returns its reference;
    without it such objects raise ``WireError``.
    """
    import torch

    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _number(float(value))
    if isinstance(value, str):
        return {"__str__": str(value)[:MAX_STRING]}
    if isinstance(value, torch.Tensor):
        key = str(len(tensors))
        t = value.detach()
        info = {"requires_grad": bool(value.requires_grad), "device": str(value.device)}
        tensors[key] = t.as_subclass(torch.Tensor).to("cpu").clone().contiguous()
        return {"__tensor__": key, **info}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, tensors, keep) for v in value]}
    if isinstance(value, list):
        return [encode(v, tensors, keep) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"__dict__": {str(k): encode(v, tensors, keep) for k, v in value.items()}}
    if isinstance(value, Ref):
        return {"__ref__": value.id, "type": value.type}
    if isinstance(value, Global):
        return {"__global__": value.name}
    if isinstance(value, Trusted):
        return {"__trusted__": value.qualname}
    try:  # numpy values, without importing numpy when it is unused
        import numpy as np

        if isinstance(value, np.ndarray):
            key = str(len(tensors))
            if value.dtype == object:
                raise WireError("numpy object arrays cannot be sent")
            tensors[key] = torch.from_numpy(np.ascontiguousarray(value)).clone()
            return {"__ndarray__": key}
        if isinstance(value, np.generic):
            return encode(value.item(), tensors, keep)
    except ImportError:
        pass
    if keep is not None:
        return encode(keep(value), tensors)
    raise WireError(f"cannot send a value of type {type(value).__name__}")


def decode(obj, tensors: dict, resolve=None):
    """Inverse of :func:`encode`; ``resolve(marker_dict)`` turns refs/globals into objects (worker side)."""
    if obj is None or isinstance(obj, (bool, int, float)):
        return obj
    if isinstance(obj, list):
        return [decode(v, tensors, resolve) for v in obj]
    if not isinstance(obj, dict) or len(obj) == 0:
        raise WireError("malformed value in frame")
    if "__str__" in obj:
        return str(obj["__str__"])
    if "__float__" in obj:
        return float(obj["__float__"])
    if "__tensor__" in obj:
        t = tensors[str(obj["__tensor__"])]
        if obj.get("requires_grad") and resolve is not None and t.is_floating_point():
            t.requires_grad_(True)
        return t
    if "__ndarray__" in obj:
        return tensors[str(obj["__ndarray__"])].numpy()
    if "__tuple__" in obj:
        return tuple(decode(v, tensors, resolve) for v in obj["__tuple__"])
    if "__dict__" in obj:
        return {str(k): decode(v, tensors, resolve) for k, v in obj["__dict__"].items()}
    if "__ref__" in obj or "__global__" in obj or "__trusted__" in obj:
        if resolve is not None:
            return resolve(obj)
        if "__ref__" in obj:
            return Ref(int(obj["__ref__"]), str(obj.get("type", "object"))[:200])
        raise WireError("unexpected marker from worker")
    raise WireError("malformed value in frame")


def pack(header: dict, tensors: dict | None = None) -> bytes:
    import torch

    head = json.dumps(header).encode()
    body = [struct.pack(">Q", len(head)), head]
    if tensors:
        manifest, chunks = [], []
        for key, t in tensors.items():
            name = str(t.dtype).removeprefix("torch.")
            if name not in DTYPES:
                raise WireError(f"tensors of dtype {name} cannot be sent")
            # a fresh flat copy: views (a complex tensor's .real has stride 2, even at 0 dims), conjugate and
            # negative bits are all resolved by copy_, and the byte view below needs stride 1
            flat = torch.empty(t.numel(), dtype=t.dtype)
            flat.copy_(t.detach().reshape(-1))
            manifest.append([str(key), name, list(t.shape)])
            chunks.append(flat.view(torch.uint8).numpy().tobytes())
        m = json.dumps(manifest).encode()
        body += [struct.pack(">Q", len(m)), m, *chunks]
    data = b"".join(body)
    return struct.pack(">Q", len(data)) + data


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise WireError(f"an integer of {len(text)} digits")
    return int(text)


def _constant(name: str) -> float:
    return float(name)  # NaN, Infinity, -Infinity: what json.dumps writes for non-finite floats


def _check_depth(obj, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise WireError("frame header is nested too deeply")
    if isinstance(obj, dict):
        for v in obj.values():
            if isinstance(v, (dict, list)):
                _check_depth(v, depth + 1)
    elif isinstance(obj, list):
        for v in obj:
            if isinstance(v, (dict, list)):
                _check_depth(v, depth + 1)


def parse_header(raw: bytes, what: str = "frame header", kind: type = dict):
    """JSON header (or manifest) of a frame; every decoding problem is a :class:`WireError`."""
    try:
        header = json.loads(raw.decode(), parse_int=_bounded_int, parse_constant=_constant)
    except WireError:
        raise
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(f"{what} is not JSON: {exc}") from None
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        raise WireError(f"{what} rejected: {type(exc).__name__}") from None
    if not isinstance(header, kind):
        raise WireError(f"{what} is not an {'object' if kind is dict else 'array'}")
    _check_depth(header)
    return header


def check_tensor(t) -> None:
    """Refuse a tensor unless it is a plain dense tensor whose storage holds exactly its elements.

    Called before a tensor from the worker is used in any way: nothing it claims is materialised first.
    """
    import torch

    if type(t) is not torch.Tensor:
        raise WireError("tensor blob must hold plain tensors")
    if t.layout != torch.strided or t.is_quantized or t.is_nested or t.is_sparse:
        raise WireError("only dense tensors may be sent")
    if t.device.type != "cpu":
        raise WireError("tensors must be on the CPU")
    numel = 1
    for d in t.shape:
        numel *= int(d)
    if numel > MAX_TENSOR_ELEMENTS:
        raise WireError(f"a tensor of {numel} elements (limit {MAX_TENSOR_ELEMENTS})")
    nbytes = numel * t.element_size()
    if t.storage_offset() != 0 or not t.is_contiguous() or t.untyped_storage().nbytes() != nbytes:
        raise WireError("a tensor whose storage does not match its size (strided or offset views are refused)")


def _manifest(raw: bytes) -> list[tuple[str, str, tuple[int, ...], int]]:
    """The checked manifest: ``(key, dtype, shape, number of elements)`` per tensor."""
    entries = parse_header(raw, what="tensor manifest", kind=list)
    if len(entries) > MAX_TENSORS:
        raise WireError(f"{len(entries)} tensors in one reply (limit {MAX_TENSORS})")
    out, keys = [], set()
    for entry in entries:
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str) and len(entry[0]) <= 64
                and entry[0] not in keys and entry[1] in DTYPES and isinstance(entry[2], list)
                and len(entry[2]) <= MAX_DIMS
                and all(type(d) is int and d >= 0 for d in entry[2])):
            raise WireError("malformed tensor manifest")
        numel = 1
        for d in entry[2]:
            numel *= d
            if numel > MAX_TENSOR_ELEMENTS:
                break
        if numel > MAX_TENSOR_ELEMENTS:
            raise WireError(f"a tensor of more than {MAX_TENSOR_ELEMENTS} elements (limit {MAX_TENSOR_ELEMENTS})")
        keys.add(entry[0])
        out.append((entry[0], entry[1], tuple(entry[2]), numel))
    return out


def unpack(body: bytes) -> tuple[dict, dict]:
    """Parse a frame body safely: JSON header, checked manifest, then the tensors it describes."""
    import torch

    if len(body) < 8:
        raise WireError("truncated frame")
    (hlen,) = struct.unpack(">Q", body[:8])
    if hlen > len(body) - 8:
        raise WireError("truncated frame header")
    header = parse_header(body[8:8 + hlen])
    tensors: dict = {}
    rest = memoryview(body)[8 + hlen:]
    if len(rest) == 0:
        return header, tensors
    if len(rest) < 8:
        raise WireError("truncated tensor manifest")
    (mlen,) = struct.unpack(">Q", rest[:8])
    if mlen > len(rest) - 8:
        raise WireError("truncated tensor manifest")
    manifest = _manifest(bytes(rest[8:8 + mlen]))
    blob = rest[8 + mlen:]
    total = sum(numel * getattr(torch, dtype).itemsize for _, dtype, _, numel in manifest)
    if total > MAX_TENSOR_BYTES:
        raise WireError(f"{total} bytes of tensors in one reply (limit {MAX_TENSOR_BYTES})")
    if total != len(blob):
        raise WireError(f"tensor storage does not match its size: the manifest claims {total} bytes, "
                        f"the frame holds {len(blob)}")
    data = bytearray(blob)  # one copy, writable: torch.frombuffer shares it, each tensor then gets its own
    offset = 0
    for key, dtype, shape, numel in manifest:
        dt = getattr(torch, dtype)
        if numel == 0:
            t = torch.empty(shape, dtype=dt)
        elif dt is torch.bool:  # any byte but 0 or 1 would make an invalid bool: normalise through uint8
            t = torch.frombuffer(data, dtype=torch.uint8, count=numel, offset=offset).reshape(shape) != 0
        else:
            t = torch.frombuffer(data, dtype=dt, count=numel, offset=offset).reshape(shape).clone()
        offset += numel * dt.itemsize
        check_tensor(t)
        tensors[key] = t
    return header, tensors


def read_exact(fd: int, n: int) -> bytes:
    chunks = []
    while n > 0:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError("pipe closed")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]
