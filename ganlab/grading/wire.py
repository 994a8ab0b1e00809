"""The grader <-> worker wire format: JSON for structure, a weights-only torch blob for tensors.

Nothing read from the worker is ever unpickled as an arbitrary object: the
header is JSON, and the tensor blob is read with ``torch.load(weights_only=True)``
and must hold a flat ``{str: Tensor}`` dict. Objects that cannot be encoded
(modules, optimizers, functions) stay in the worker and travel as references.

A frame is ``len(8 bytes) | len(header, 8 bytes) | header JSON | tensor blob``.
"""

from __future__ import annotations

import io
import json
import math
import os
import struct
from dataclasses import dataclass

#: A frame larger than this is refused (a submission cannot flood the grader).
MAX_FRAME_BYTES = 512 * 1024 * 1024
MAX_STRING = 10_000


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
    blob = b""
    if tensors:
        buf = io.BytesIO()
        torch.save(tensors, buf)
        blob = buf.getvalue()
    body = struct.pack(">Q", len(head)) + head + blob
    return struct.pack(">Q", len(body)) + body


def unpack(body: bytes) -> tuple[dict, dict]:
    """Parse a frame body safely: JSON header, weights-only tensor dict."""
    import torch

    if len(body) < 8:
        raise WireError("truncated frame")
    (hlen,) = struct.unpack(">Q", body[:8])
    if hlen > len(body) - 8:
        raise WireError("truncated frame header")
    try:
        header = json.loads(body[8:8 + hlen].decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(f"frame header is not JSON: {exc}") from None
    if not isinstance(header, dict):
        raise WireError("frame header is not an object")
    tensors: dict = {}
    blob = body[8 + hlen:]
    if blob:
        try:
            tensors = torch.load(io.BytesIO(blob), weights_only=True, map_location="cpu")
        except Exception as exc:  # noqa: BLE001 - any failure means a bad frame
            raise WireError(f"tensor blob rejected: {type(exc).__name__}") from None
        if not isinstance(tensors, dict) or not all(
            isinstance(k, str) and type(v) is torch.Tensor for k, v in tensors.items()
        ):
            raise WireError("tensor blob must be a dict of plain tensors")
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
