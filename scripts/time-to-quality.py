#!/usr/bin/env python3
"""Time to quality, side by side: how long Style Studio takes to reach the loss that PyTorch's L-BFGS has after 100
iterations, against PyTorch's own time to get there (its setup plus its 100 iterations, as it reports them).

Each round runs the PyTorch yardstick once, then every Style Studio variant (A B C, A B C, ...): a variant is a
binary followed by extra `render` flags, timed from launch to the first progress line of its last stage whose
total loss is at or below PyTorch's final one. Prints each round and the median ratio per variant.

  PEER_PYTHON=/path/to/venv/bin/python scripts/time-to-quality.py --size 256 \\
      --content Tests/Fixtures/reference/content.png --style Tests/Fixtures/reference/style.png --rounds 4 \\
      ".build/release/stylestudio --single-scale --iterations 110" "/tmp/before --single-scale --iterations 110"
Environment: PEER_PYTHON (a Python with torch), PEER_SCRIPT (default ../shared/peer/gatys_torch.py).
"""
import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

repository = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pytorch_run(args, weights):
    """PyTorch's final loss after 100 iterations and its time (setup + the iterations' seconds)."""
    peer_script = os.environ.get("PEER_SCRIPT", os.path.join(repository, "..", "shared", "peer", "gatys_torch.py"))
    out = subprocess.run([os.environ["PEER_PYTHON"], peer_script, "--weights", weights, "--content", args.content,
                          "--style", args.style, "--out", "/tmp/stylestudio-ttq-peer.png", "--size", str(args.size),
                          "--iters", "100", "--threads", str(args.threads)],
                         capture_output=True, text=True, check=True).stdout
    setup = float(re.search(r"setup ([0-9.]+)s", out).group(1))
    seconds = [float(m.group(1)) for m in re.finditer(r"^\s*\d+\s+\S+\s+\S+\s+\S+\s+\S+\s+([0-9.]+)\s", out, re.M)]
    final = float(re.search(r"final loss \(after iter 100\): total (\S+)", out).group(1))
    return final, setup + sum(seconds)


def ours(variant, args, target):
    """(iteration, seconds from launch) of the first last-stage line at or below `target`, or None."""
    argv = shlex.split(variant)
    started = time.monotonic()
    process = subprocess.Popen(argv[:1] + ["render", "--content", args.content, "--style", args.style,
                                           "--size", str(args.size), "--output", "/tmp/stylestudio-ttq.png"] + argv[1:],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    reached = None
    for line in process.stderr:
        match = re.match(r"(?:stage (\d+)/(\d+) \S+\s+)?iter (\d+)/\d+\s+total (\S+)", line)
        if reached is None and match and match.group(1) == match.group(2) and float(match.group(4)) <= target:
            reached = (int(match.group(3)), time.monotonic() - started)
    process.wait()
    return reached


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--content", default=os.path.join(repository, "Tests/Fixtures/reference/content.png"))
    parser.add_argument("--style", default=os.path.join(repository, "Tests/Fixtures/reference/style.png"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("variants", nargs="+", help="a binary and extra render flags, quoted as one argument")
    args = parser.parse_args()
    if "PEER_PYTHON" not in os.environ:
        sys.exit("time-to-quality: set PEER_PYTHON to a Python with torch")
    weights = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "stylestudio",
                           "vgg19.safetensors")
    ratios = {variant: [] for variant in args.variants}
    for round_index in range(args.rounds):
        final, seconds = pytorch_run(args, weights)
        print(f"round {round_index + 1}: PyTorch's loss after 100 iterations {final:.6e}, in {seconds:.2f} s", flush=True)
        for variant in args.variants:
            reached = ours(variant, args, final)
            if reached is None:
                print(f"  {variant}: not reached", flush=True)
                continue
            ratios[variant].append(reached[1] / seconds)
            print(f"  {variant}: iteration {reached[0]} at {reached[1]:.2f} s = {reached[1] / seconds:.3f}×", flush=True)
    for variant, values in ratios.items():
        if values:
            print(f"{variant}: median {statistics.median(values):.3f}× ({', '.join(f'{v:.3f}' for v in values)})")


if __name__ == "__main__":
    main()
