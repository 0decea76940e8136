#!/usr/bin/env python3
"""VRPTW benchmark: our solver against PyVRP, VROOM and OR-Tools on the Solomon instances.

Every solver gets the same instances under the DIMACS convention (distance and travel time are
the Euclidean distance truncated to one decimal; objective total distance), the same time limit
and one thread. Each solution is re-checked here, independently of every solver, before its gap
to the best known counts. Run through run.sh, which sets up the virtual environment.

With --asymmetric every solver gets the same asymmetric variant of each instance instead: the
travel from i to j is d(i, j) * (1 + 0.2 h(i, j)), truncated, with h a fixed hash of (i, j) in
[0, 1), for distance and time alike (as a road network's one-way streets and turns would make
it). There is no best known for these, so each solution is compared with the best of the run.
"""

import argparse
import csv
import glob
import json
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DATA = REPO / "bench" / "vrptw" / "data"
FAMILIES = ["C1", "C2", "R1", "R2", "RC1", "RC2"]


def read_instance(path):
    """Solomon text: returns (name, vehicles, capacity, rows); rows[0] is the depot."""
    lines = Path(path).read_text().splitlines()
    name = lines[0].strip()
    fleet, rows = None, []
    for line in lines[1:]:
        try:
            values = [float(t) for t in line.split()]
        except ValueError:
            continue
        if len(values) == 2 and fleet is None:
            fleet = (int(values[0]), int(values[1]))
        elif len(values) == 7:
            rows.append([int(v) if v.is_integer() else v for v in values])
    return name, fleet[0], fleet[1], rows


def dist10(a, b):
    """Ten times the Euclidean distance, truncated (exact for integer coordinates)."""
    dx, dy = a[1] - b[1], a[2] - b[2]
    sq = dx * dx + dy * dy
    if float(dx).is_integer() and float(dy).is_integer():
        return math.isqrt(int(sq) * 100)
    return math.floor(math.sqrt(sq) * 10)


def matrix(rows):
    return [[dist10(a, b) for b in rows] for a in rows]


def unit_hash(i, j):
    """A fixed hash of (i, j) in [0, 1): SplitMix64 of i * 2^20 + j."""
    z = (i * (1 << 20) + j + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return (z ^ (z >> 31)) / 2.0**64


def asymmetric(d):
    """The asymmetric variant of matrix d: d(i, j) * (1 + 0.2 h(i, j)), truncated."""
    n = len(d)
    return [[math.floor(d[i][j] * (1 + 0.2 * unit_hash(i, j))) for j in range(n)]
            for i in range(n)]


def check(rows, capacity, vehicles, routes, d):
    """Independent DIMACS check; routes hold row indices (1..n). Returns (ok, distance10, why)."""
    n = len(rows) - 1
    seen = [0] * (n + 1)
    total = 0
    if len(routes) > vehicles:
        return False, 0, f"{len(routes)} routes > {vehicles} vehicles"
    for r in routes:
        t, here, load = rows[0][4] * 10, 0, 0
        for c in r:
            if not 1 <= c <= n:
                return False, 0, f"unknown customer {c}"
            seen[c] += 1
            t += d[here][c]
            total += d[here][c]
            if t > rows[c][5] * 10:
                return False, 0, f"late at {rows[c][0]}"
            t = max(t, rows[c][4] * 10) + rows[c][6] * 10
            load += rows[c][3]
            here = c
        t += d[here][0]
        total += d[here][0]
        if t > rows[0][5] * 10:
            return False, 0, "late back at the depot"
        if load > capacity:
            return False, 0, "over capacity"
    if any(s != 1 for s in seen[1:]):
        return False, 0, "customer missing or served twice"
    return True, total, ""


def solve_ours(path, seconds, seed, cmd, _d):
    with tempfile.NamedTemporaryFile("r", suffix=".sol") as out:
        args = shlex.split(cmd) + [str(path), "--seconds", str(seconds), "--seed", str(seed),
                                   "--threads", "1", "--out", out.name]
        subprocess.run(args, check=True, capture_output=True, text=True)
        rows = {r[0]: i for i, r in enumerate(read_instance(path)[3])}
        routes = []
        for line in Path(out.name).read_text().splitlines():
            if line.startswith("Route #"):
                routes.append([rows[int(t)] for t in line.split(":", 1)[1].split()])
        return routes


def solve_ours_json(path, seconds, seed, cmd, d):
    """Our solver on matrix d, through the vrptw_json example (routing::Problem as JSON)."""
    _, vehicles, capacity, rows = read_instance(path)
    n = len(rows)
    flat = [v for row in d for v in row]
    problem = {
        "matrix": {"size": n, "durations": flat, "distances": flat},
        "jobs": [{"location": i, "service": r[6] * 10, "demand": r[3], "penalty": None,
                  "time_windows": [{"open": r[4] * 10, "close": r[5] * 10}],
                  "allowed_vehicles": None, "pin": None} for i, r in enumerate(rows) if i > 0],
        "vehicles": [{"start": 0, "end": 0, "capacity": capacity,
                      "shift": {"open": rows[0][4] * 10, "close": rows[0][5] * 10}}] * vehicles,
        "objective": "Distance",
    }
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "problem.json", Path(tmp) / "solution.json"
        src.write_text(json.dumps(problem))
        args = shlex.split(cmd) + [str(src), "--seconds", str(seconds), "--seed", str(seed),
                                   "--threads", "1", "--out", str(out)]
        subprocess.run(args, check=True, capture_output=True, text=True)
        solution = json.loads(out.read_text())
    # Job k is customer row k + 1.
    return [[j + 1 for j in r["jobs"]] for r in solution["routes"]]


def solve_pyvrp(path, seconds, seed, _cmd, d):
    import pyvrp
    from pyvrp.stop import MaxRuntime

    _, vehicles, capacity, rows = read_instance(path)
    m = pyvrp.Model()
    locs = [m.add_location(r[1], r[2]) for r in rows]
    depot = m.add_depot(locs[0], tw_early=rows[0][4] * 10, tw_late=rows[0][5] * 10)
    m.add_vehicle_type(num_available=vehicles, capacity=capacity, start_depot=depot, end_depot=depot,
                       tw_early=rows[0][4] * 10, tw_late=rows[0][5] * 10)
    for i, r in enumerate(rows[1:], start=1):
        m.add_client(locs[i], delivery=r[3], service_duration=r[6] * 10, tw_early=r[4] * 10,
                     tw_late=r[5] * 10)
    for i, a in enumerate(locs):
        for j, b in enumerate(locs):
            m.add_edge(a, b, distance=d[i][j], duration=d[i][j])
    res = m.solve(stop=MaxRuntime(seconds), seed=seed, display=False)
    # Activity indices count clients from 0; rows count the depot as 0.
    return [[a.idx + 1 for a in route if a.is_client()] for route in res.best.routes()]


def solve_vroom(path, seconds, _seed, _cmd, d):
    import datetime
    import vroom

    _, vehicles, capacity, rows = read_instance(path)
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=d)
    problem.set_costs_matrix(profile="car", matrix_input=d)
    tw = vroom.TimeWindow(rows[0][4] * 10, rows[0][5] * 10)
    for v in range(vehicles):
        problem.add_vehicle(vroom.Vehicle(v, start=0, end=0, capacity=[capacity], time_window=tw))
    for i, r in enumerate(rows[1:], start=1):
        problem.add_job(vroom.Job(i, location=i, default_service=r[6] * 10, delivery=[r[3]],
                                  time_windows=[vroom.TimeWindow(r[4] * 10, r[5] * 10)]))
    sol = problem.solve(exploration_level=5, nb_threads=1,
                        timeout=datetime.timedelta(seconds=seconds))
    routes = {}
    for _, step in sol.routes.iterrows():
        if step["type"] == "job":
            routes.setdefault(step["vehicle_id"], []).append(int(step["id"]))
    return list(routes.values())


def solve_ortools(path, seconds, _seed, _cmd, d):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    _, vehicles, capacity, rows = read_instance(path)
    n = len(rows)
    manager = pywrapcp.RoutingIndexManager(n, vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    node = manager.IndexToNode
    dist_cb = routing.RegisterTransitCallback(lambda a, b: d[node(a)][node(b)])
    time_cb = routing.RegisterTransitCallback(
        lambda a, b: d[node(a)][node(b)] + rows[node(a)][6] * 10)
    load_cb = routing.RegisterUnaryTransitCallback(lambda a: rows[node(a)][3])
    routing.SetArcCostEvaluatorOfAllVehicles(dist_cb)
    routing.AddDimension(time_cb, rows[0][5] * 10, rows[0][5] * 10, False, "time")
    routing.AddDimensionWithVehicleCapacity(load_cb, 0, [capacity] * vehicles, True, "load")
    time_dim = routing.GetDimensionOrDie("time")
    for i in range(1, n):
        time_dim.CumulVar(manager.NodeToIndex(i)).SetRange(rows[i][4] * 10, rows[i][5] * 10)
    for v in range(vehicles):
        time_dim.CumulVar(routing.Start(v)).SetRange(rows[0][4] * 10, rows[0][5] * 10)
        time_dim.CumulVar(routing.End(v)).SetRange(rows[0][4] * 10, rows[0][5] * 10)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH)
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    sol = routing.SolveWithParameters(params)
    if sol is None:
        return []
    routes = []
    for v in range(vehicles):
        idx, route = sol.Value(routing.NextVar(routing.Start(v))), []
        while not routing.IsEnd(idx):
            route.append(node(idx))
            idx = sol.Value(routing.NextVar(idx))
        if route:
            routes.append(route)
    return routes


SOLVERS = {"ours": solve_ours, "pyvrp": solve_pyvrp, "vroom": solve_vroom,
           "ortools": solve_ortools}


def family(name):
    """C101 -> C1, RC2_2_1 -> RC2."""
    return name.split("_")[0] if "_" in name else name[:-2]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("instances", nargs="*",
                   help="instance names (C101 ...) or families (R1); default: all 56 Solomon")
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--solvers", default="ours,pyvrp,vroom,ortools")
    p.add_argument("--homberger", action="store_true", help="add the six 200-customer instances")
    p.add_argument("--ours", default=f"cargo run --release --quiet --manifest-path "
                   f"{REPO / 'Cargo.toml'} -- vrptw",
                   help="command that runs our solver: CMD FILE --seconds S --seed N ...")
    p.add_argument("--ours-json", default=str(REPO / "target" / "release" / "examples" / "vrptw_json"),
                   help="command that solves a routing::Problem in JSON (used with --asymmetric)")
    p.add_argument("--asymmetric", action="store_true",
                   help="solve the asymmetric variants d(i,j) * (1 + 0.2 h(i,j)) instead")
    p.add_argument("--csv", default=None,
                   help="default results/last.csv (results/last-asymmetric.csv with --asymmetric)")
    args = p.parse_args()
    if args.csv is None:
        name = "last-asymmetric.csv" if args.asymmetric else "last.csv"
        args.csv = str(HERE / "results" / name)
    return args


def instance_paths(args):
    every = sorted(glob.glob(str(DATA / "solomon" / "*.txt")))
    if args.instances:
        wanted = set(args.instances)
        every = [f for f in every if Path(f).stem in wanted or family(Path(f).stem) in wanted]
    if args.homberger:
        every += sorted(glob.glob(str(DATA / "homberger" / "*.txt")))
    return every


def main():
    args = parse_args()
    bks = {r["instance"]: float(r["distance"]) for r in csv.DictReader(open(DATA / "bks_dimacs.csv"))}
    solvers = args.solvers.split(",")
    results = []
    ref_name = "best" if args.asymmetric else "bks"
    print(f"{'instance':10} {ref_name:>9} " + " ".join(f"{s:>16}" for s in solvers), flush=True)
    for path in instance_paths(args):
        _, vehicles, capacity, rows = read_instance(path)
        # The file name, not the header: the Gehring-Homberger files call themselves c1_2_1.
        name = Path(path).stem
        d = asymmetric(matrix(rows)) if args.asymmetric else matrix(rows)
        mine = []
        for s in solvers:
            started = time.monotonic()
            try:
                if args.asymmetric and s == "ours":
                    routes = solve_ours_json(path, args.seconds, args.seed, args.ours_json, d)
                else:
                    routes = SOLVERS[s](path, args.seconds, args.seed, args.ours, d)
                ok, total, why = check(rows, capacity, vehicles, routes, d)
            except Exception as e:  # a crashing peer is a result too
                ok, total, why, routes = False, 0, f"error: {e}", []
            secs = time.monotonic() - started
            mine.append({"instance": name, "solver": s, "feasible": ok, "distance": total / 10,
                         "vehicles": len(routes), "gap": None, "seconds": round(secs, 2),
                         "why": why})
            if not ok:
                print(f"  {s} on {name}: {why}", file=sys.stderr)
        # Symmetric: gap to the best known. Asymmetric: to the best solution of this run.
        feasible = [r["distance"] for r in mine if r["feasible"]]
        ref = min(feasible, default=None) if args.asymmetric else bks[name]
        cells = []
        for r in mine:
            if r["feasible"]:
                r["gap"] = (r["distance"] - ref) / ref * 100
                cells.append(f"{r['distance']:9.1f} {r['gap']:5.2f}%")
            else:
                cells.append(f"{'infeasible':>16}")
        results.extend(mine)
        ref_cell = f"{ref:9.1f}" if ref is not None else f"{'-':>9}"
        print(f"{name:10} {ref_cell} " + " ".join(f"{c:>16}" for c in cells), flush=True)
        write_csv(args.csv, results)  # after every instance, so that a crash loses nothing
    summarise(results, solvers)
    kind = "asymmetric variants, gap to the best of the run" if args.asymmetric else \
        "gap to the best known"
    print(f"\n{kind}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{platform.node()} {platform.processor() or platform.machine()} "
          f"{os.cpu_count()} cpus, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{args.seconds:g} s per instance, seed {args.seed}; rows in {args.csv}")


def write_csv(path, results):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(results[0].keys()))
        w.writeheader()
        w.writerows(results)


def summarise(results, solvers):
    """Mean gap per family and overall; an infeasible or failed run counts as missing."""
    groups = FAMILIES + ["200"]
    print(f"\n{'mean gap %':10} " + " ".join(f"{g:>7}" for g in groups + ["Solomon"]))
    means = {}
    for s in solvers:
        row = []
        mine = [r for r in results if r["solver"] == s]
        for g in groups:
            sel = [r for r in mine if ("_" in r["instance"]) == (g == "200")
                   and (g == "200" or family(r["instance"]) == g)]
            row.append(fmt(sel))
        solomon = [r for r in mine if "_" not in r["instance"]]
        means[s] = mean_gap(solomon)
        row.append(fmt(solomon))
        print(f"{s:10} " + " ".join(f"{c:>7}" for c in row))
    if "ours" in means and "pyvrp" in means and means["pyvrp"]:
        print(f"\nours / pyvrp mean gap ratio: {means['ours'] / means['pyvrp']:.2f}")
    if "ours" in solvers and "pyvrp" in solvers:
        head_to_head(results)


def head_to_head(results):
    """On how many instances (both feasible) ours is shorter, as long, or longer than PyVRP."""
    by = {(r["instance"], r["solver"]): r for r in results}
    names = sorted({r["instance"] for r in results})
    pairs = [(by[(n, "ours")], by[(n, "pyvrp")]) for n in names
             if by[(n, "ours")]["feasible"] and by[(n, "pyvrp")]["feasible"]]
    better = sum(o["distance"] < p["distance"] - 1e-9 for o, p in pairs)
    worse = sum(o["distance"] > p["distance"] + 1e-9 for o, p in pairs)
    print(f"ours against pyvrp: shorter on {better}, as long on {len(pairs) - better - worse}, "
          f"longer on {worse} of {len(pairs)} instances")


def mean_gap(rows):
    gaps = [r["gap"] for r in rows if r["gap"] is not None]
    return statistics.mean(gaps) if gaps else None


def fmt(rows):
    if not rows:
        return "-"
    m = mean_gap(rows)
    bad = sum(r["gap"] is None for r in rows)
    return ("-" if m is None else f"{m:.2f}") + (f"!{bad}" if bad else "")


if __name__ == "__main__":
    main()
