"""Sweeps of scripts/train.py runs over configs and seeds: their command lines, and a runner that
trains them a few at a time in subprocesses, one directory and log per run."""
import concurrent.futures
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRAIN_SCRIPT = os.path.join(REPO, "scripts", "train.py")


class RunFailedError(RuntimeError):
  """A run's train.py exited non-zero; the message names the run and its log."""


@dataclasses.dataclass(frozen=True)
class Run:
  """One train.py run: `name` for messages, its `root_dir` and `command` (a list, as in JSON)."""
  name: str
  root_dir: str
  command: list


def train_command(root_dir, gin_files, seed, num_agent_steps=None, gin_bindings=()):
  """scripts/train.py's command line: the gin files in order, then the bindings `Runner.seed`,
  `Runner.num_agent_steps` (when given) and `gin_bindings`."""
  bindings = [f"Runner.seed = {seed}"]
  if num_agent_steps:
    bindings.append(f"Runner.num_agent_steps = {num_agent_steps}")
  bindings.extend(gin_bindings)
  return ([sys.executable, TRAIN_SCRIPT, f"--root_dir={root_dir}"]
          + [f"--gin_file={gin_file}" for gin_file in gin_files]
          + [f"--gin_bindings={binding}" for binding in bindings])


def run_sweep(runs, parallel, resume=False):
  """Trains `runs`, `parallel` at a time; returns their summaries, `command` and `seconds`, in
  the order of `runs`, and prints a line as each ends.

  A run whose root_dir/summary.json recorded the same command is not trained again. Any other
  starts afresh or, with `resume`, reruns on its root_dir, so train.py resumes from its last
  checkpoint (`seconds` then counts this session only). The first run that fails raises
  RunFailedError once the running ones end; those not started are cancelled.
  """
  summaries = [None] * len(runs)
  with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
    futures = {pool.submit(_train, run, resume): i for i, run in enumerate(runs)}
    for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
      i = futures[future]
      try:
        summaries[i] = future.result()
      except RunFailedError:
        pool.shutdown(cancel_futures=True)
        raise
      print(f"[{done}/{len(runs)}] {runs[i].name} ({summaries[i]['seconds']:.0f} s)", flush=True)
  return summaries


def finished_summary(run):
  """The summary of `run` if its root_dir/summary.json recorded the same command, else None."""
  summary_path = os.path.join(run.root_dir, "summary.json")
  if not os.path.isfile(summary_path):
    return None
  with open(summary_path) as summary_file:
    summary = json.load(summary_file)
  return summary if summary.get("command") == run.command else None


def _train(run, resume):
  """Trains one run, unless its summary.json recorded the same command; returns the summary."""
  summary = finished_summary(run)
  if summary is not None:
    return summary
  summary_path = os.path.join(run.root_dir, "summary.json")
  if os.path.isfile(summary_path):
    os.remove(summary_path)  # another command's: stale once this one resumes the run
  if not resume:
    shutil.rmtree(run.root_dir, ignore_errors=True)
  os.makedirs(run.root_dir, exist_ok=True)
  log_path = os.path.join(run.root_dir, "train.log")
  start = time.monotonic()
  with open(log_path, "a") as log:
    status = subprocess.run(run.command, stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
                            check=False).returncode
  if status:
    raise RunFailedError(f"{run.name} failed (exit {status}); see {log_path}")
  summary = {"command": run.command, "seconds": round(time.monotonic() - start, 1)}
  with open(summary_path, "w") as summary_file:
    json.dump(summary, summary_file)
  return summary
