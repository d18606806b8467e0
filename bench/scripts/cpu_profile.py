"""Summarises `perf script -F comm,tid,ip,sym,dso` output of a .NET process: the share of on-CPU samples by thread, by the
parts of a Handoff request (the first part a stack passes through wins, in the order listed), and the frames most
often on the stack. Usage: python3 cpu_profile.py STACKS [FRAME]  — with FRAME, what the stacks through it spend."""
import collections
import re
import sys

FRAME = re.compile(r"^\s*[0-9a-f]+\s+(.*?)\s+\(([^()]*)\)$")
TIER = re.compile(r"\[(OptimizedTier1|OptimizedTier1OSR|QuickJitted|Optimized|InstrumentedTier|InstrumentedTierOptimized)\]")

# The parts, each named by frames (substrings) that mark it; threads named by their own name.
PARTS = [
    ("thread: SQLite writer", "thread", "Handoff SQLite"),
    ("thread: PostgreSQL writer", "thread", "Handoff Postgre"),
    ("thread: JIT (tiering)", "thread", "Tiered Com"),
    ("thread: GC", "thread", "GC"),
    ("embedding model (ONNX)", "frame", "OnnxRuntime"),
    ("SQLite (native, outside the writer)", "frame", "libe_sqlite3"),
    ("answer JSON", "frame", "HttpResultsHelper::WriteResultAsJsonAsync"),
    ("request body JSON", "frame", "JsonBody+<ReadAsync>"),
    ("proposal digest", "frame", "ProposalDigest"),
    ("policy evaluation", "frame", "CompiledPolicy::Evaluate"),
    ("case documents read", "frame", "CaseDocument::Deserialize"),
    ("other JSON", "frame", "System.Text.Json"),
    ("outbox and notifications", "frame", "Notifications."),
    ("routing", "frame", "Handoff.Server.Routing"),
    ("load driver's clients", "frame", "System.Net.Http"),
    ("Npgsql (reads)", "frame", "Npgsql"),
    ("Handoff's endpoints and services", "frame", "Handoff.Server"),
    ("ASP.NET Core pipeline", "frame", "Microsoft.AspNetCore"),
    ("sockets (kernel and engine)", "frame", "sock"),
]


def read(path):
    stacks, comm, frames = [], None, None
    with open(path, errors="replace") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line.strip():
                if frames is not None:
                    stacks.append((comm, frames))
                frames = None
            elif not line[0].isspace():
                comm, frames = line.strip().rsplit(" ", 1)[0].strip(), []
            elif frames is not None:
                # "ip symbol (library)": a frame perf cannot name is named by its library ([libonnxruntime.so]).
                match = FRAME.match(line)
                symbol, library = (match.group(1), match.group(2)) if match else (line.strip(), "")
                if symbol.startswith("[unknown]") and library:
                    symbol = "[" + library.rsplit("/", 1)[-1] + "]"
                frames.append(TIER.sub("", symbol).split("(", 1)[0].strip())
    if frames is not None:
        stacks.append((comm, frames))
    return stacks


def part(comm, frames):
    for name, kind, mark in PARTS:
        if (kind == "thread" and mark in comm) or (kind == "frame" and any(mark.lower() in f.lower() for f in frames)):
            return name
    return "other: " + comm


def show(title, counter, total, top):
    print(f"\n{title}")
    for key, n in counter.most_common(top):
        print(f"{100 * n / total:6.1f} %  {key[:160]}")


def main():
    stacks = read(sys.argv[1])
    if len(sys.argv) > 2:
        stacks = [(c, f) for c, f in stacks if any(sys.argv[2] in x for x in f)]
    total = len(stacks) or 1
    print(f"{len(stacks)} samples")
    show("by thread", collections.Counter(c for c, _ in stacks), total, 12)
    show("by part (first match in the order the script lists them)", collections.Counter(part(c, f) for c, f in stacks), total, 30)
    inclusive = collections.Counter()
    for _, frames in stacks:
        inclusive.update({f for f in frames if not f.startswith("[unknown") and "AsyncStateMachineBox" not in f})
    show("frames on the stack (inclusive)", inclusive, total, 40)


main()
