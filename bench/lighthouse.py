"""Lighthouse scores and page weight of the built site, served the way GitHub Pages serves it.

Builds the site (``mkdocs build --strict``), serves it gzip-compressed under
``/colab-guide/`` on 127.0.0.1, and runs npm's ``lighthouse`` (installed on first use into
``bench/.lighthouse/``) with Debian's chromium on four pages: the zh home, the en home, a
lesson page and a notebook page. Prints the four category scores per page, the audits
that did not pass, and the weight of the lesson page without the search index.

Lighthouse's mobile preset slows the CPU 4x, which stands for a mid-range phone only on a host
whose ``benchmarkIndex`` is about 1,533 (Lighthouse's throttling docs and its CPU-throttling
calculator). A slower host (this shared VM: about 1,000-1,450 when quiet) gets a slower phone than
intended. ``--calibrate`` also runs each page with the multiplier that calculator gives for the
host's measured ``benchmarkIndex`` and prints both scores; the default-preset score stays the
headline figure.

Usage: ``python bench/lighthouse.py [--preset mobile|desktop] [--site DIR] [--lessons] [--calibrate]``
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))  # tools/ is no package
from layout import CHROMIUM, CHROMIUM_FLAGS, LANGUAGES, lesson_names, slug, url_prefix  # noqa: E402

LIGHTHOUSE_DIR = ROOT / "bench" / ".lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
REPORTS = LIGHTHOUSE_DIR / "reports"  # full JSON reports, for the details behind a score
BASE = "/colab-guide/"
PAGES = {
    "zh home": "",
    "en home": "en/",
    "lesson (zh resume)": "resume/",
    "notebook (zh concepts)": "notebooks/concepts/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = " ".join(CHROMIUM_FLAGS)  # layout.py: the one list of chromium flags
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".ipynb", ".txt"}


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it (as GitHub Pages does)."""

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and path.suffix in COMPRESSIBLE and wants_gzip):
            return super().send_head()
        if (
            self.path.split("?")[0].endswith("/") is False
            and Path(self.translate_path(self.path)).is_dir()
        ):
            return super().send_head()  # let the base class redirect to the slash URL
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


def build_site(target: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(target)],
        cwd=ROOT,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    print("installing npm lighthouse@12 into bench/.lighthouse/ ...", flush=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(LIGHTHOUSE_DIR),
            "lighthouse@12",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    root = Path(tempfile.mkdtemp(prefix="lighthouse-www-"))
    shutil.copytree(site, root / BASE.strip("/"))
    handler = functools.partial(GzipHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{BASE}"


def calibrated_multiplier(benchmark_index: float) -> float:
    """The CPU slowdown that makes this host emulate Lighthouse's reference phone.

    Piecewise linear, as in the CPU-throttling calculator that Lighthouse's throttling docs
    point to: 800 -> 2x, 1,300 -> 3x, 1,533 -> 4x (each 233 more adds 1x); 150 -> 1x.
    """
    if benchmark_index >= 1300:
        return 3 + (benchmark_index - 1300) / 233
    if benchmark_index >= 800:
        return 2 + (benchmark_index - 800) / 500
    return max(1.0, 1 + (benchmark_index - 150) / 650)


def run_lighthouse(url: str, preset: str, out: Path, cpu_multiplier: float | None = None) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    if cpu_multiplier is not None:
        command.append(f"--throttling.cpuSlowdownMultiplier={cpu_multiplier:.2f}")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, check=True, env=env, timeout=300)
    return json.loads(out.read_text(encoding="utf-8"))


def metrics_line(report: dict) -> str:
    """The metrics behind the performance score, and the host's CPU benchmark."""
    audits = report["audits"]
    seconds = {
        "FCP": "first-contentful-paint",
        "LCP": "largest-contentful-paint",
        "SI": "speed-index",
    }
    parts = [
        f"{label} {audits[key]['numericValue'] / 1000:.2f} s" for label, key in seconds.items()
    ]
    parts.append(f"TBT {audits['total-blocking-time']['numericValue']:.0f} ms")
    parts.append(f"CLS {audits['cumulative-layout-shift']['numericValue']:.3f}")
    parts.append(f"benchmarkIndex {report['environment']['benchmarkIndex']:.0f}")
    return ", ".join(parts)


def failed_audits(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    failed = []
    for ref in refs:
        audit = report["audits"][ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            failed.append(f"{ref['id']} ({audit['score']:.2f})")
    return failed


def weight_without_search(report: dict) -> tuple[int, int]:
    """Bytes transferred for the page, without and with the search index."""
    items = report["audits"]["network-requests"]["details"]["items"]
    total = sum(item.get("transferSize", 0) for item in items)
    search = sum(
        item.get("transferSize", 0) for item in items if "search_index.json" in item["url"]
    )
    return total - search, total


def lesson_pages() -> dict[str, str]:
    """Each lesson's page in both languages, by its slug (layout.py)."""
    pages = {}
    for name in lesson_names():
        for lang in LANGUAGES:
            pages[f"lesson ({lang} {slug(name)})"] = f"{url_prefix(lang)}{slug(name)}/"
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument(
        "--lessons",
        action="store_true",
        help="every lesson page, zh and en (the learner target: mobile performance >= 0.95)",
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="also run each page with the CPU slowdown calibrated to this host's benchmarkIndex",
    )
    args = parser.parse_args(argv)
    pages = lesson_pages() if args.lessons else PAGES
    ensure_lighthouse()
    REPORTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    site = args.site or work / "site"
    if args.site is None:
        build_site(site)
    server, base_url = serve(site)
    print(f"Lighthouse ({args.preset}), site served gzip-compressed at {base_url}\n")
    print(f"load average: {os.getloadavg()[0]:.2f} (1 min)")
    print(f"{'page':<28}" + "".join(f"{c:>16}" for c in CATEGORIES))
    notes = []
    try:
        for name, path in pages.items():
            out = REPORTS / f"{args.preset}-{path.strip('/').replace('/', '-') or 'home'}.json"
            report = run_lighthouse(base_url + path, args.preset, out)
            scores = [report["categories"][c]["score"] for c in CATEGORIES]
            print(f"{name:<28}" + "".join(f"{s:>16.2f}" for s in scores), flush=True)
            print(f"{'':<4}{metrics_line(report)}", flush=True)
            if args.calibrate:
                index = report["environment"]["benchmarkIndex"]
                multiplier = calibrated_multiplier(index)
                calibrated = run_lighthouse(
                    base_url + path, args.preset, out.with_suffix(".calibrated.json"), multiplier
                )
                print(
                    f"{'':<4}calibrated: benchmarkIndex {index:.0f} -> CPU x{multiplier:.2f}, "
                    f"performance {calibrated['categories']['performance']['score']:.2f} "
                    f"(load average {os.getloadavg()[0]:.2f})",
                    flush=True,
                )
            for category in CATEGORIES:
                failed = failed_audits(report, category)
                if failed:
                    notes.append(f"  {name} / {category}: {', '.join(failed)}")
            if name.startswith("lesson"):
                without, total = weight_without_search(report)
                index = (
                    f"the search index {(total - without) / 1024:.0f} KiB more"
                    if total > without
                    else "no search index: it waits until the search is opened"
                )
                notes.append(f"  {name}: {without / 1024:.0f} KiB transferred, {index}")
    finally:
        server.shutdown()
    print(f"\nload average: {os.getloadavg()[0]:.2f} (1 min)")
    print("\nNot at 1.00, and page weight:")
    print("\n".join(notes) or "  nothing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
